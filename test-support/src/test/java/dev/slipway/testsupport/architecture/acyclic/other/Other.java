package dev.slipway.testsupport.architecture.acyclic.other;

public class Other {
}
