// A push's events folded into what a person reads: its stages in order, each with its state, its
// duration and what happened in it, the build log, the failure with the next step, the app's URLs.

import { duration } from './dom.js';

const ORDER = ['queue', 'upload', 'staging', 'deploy', 'routing'];

/** The event's short name: "dev.slipway.stage.failed.v1" -> "stage.failed". */
export function kind(event) {
  return String(event.type ?? '').replace(/^dev\.slipway\./, '').replace(/\.v\d+$/, '');
}

/** The stage a replay names for each failure, as POST /pushes/{id}/replay takes it. */
const REPLAY_STAGE = { 'stage.failed': 'staging', 'deploy.failed': 'deploy', 'routes.failed': 'routing' };

export function fold(events) {
  const stages = new Map();
  const log = [];
  let failure = null;
  let urls = [];
  let supersededBy = null;
  const stage = (name) => {
    if (!stages.has(name)) {
      stages.set(name, { name, state: 'active', start: null, end: null, notes: [] });
    }
    return stages.get(name);
  };
  const begin = (name, at, note) => {
    const current = stage(name);
    current.state = 'active';
    current.start = at;
    current.end = null;
    if (note) {
      current.notes.push(note);
    }
    return current;
  };
  const finish = (name, at, state, note) => {
    const current = stage(name);
    current.start ??= at;
    current.end = at;
    current.state = state;
    if (note) {
      current.notes.push(note);
    }
  };
  for (const event of events) {
    const data = event.data ?? {};
    const at = Date.parse(event.time);
    const replay = event.replayof ? ` (replay of ${event.replayof})` : '';
    switch (kind(event)) {
      case 'push.queued':
        begin('queue', at, 'accepted; runs once the app has no other push running');
        break;
      case 'push.superseded':
        supersededBy = data.supersededBy ?? null;
        finish('queue', at, 'superseded', `superseded by push ${data.supersededBy}, a newer push of the app`);
        break;
      case 'blob.uploaded':
        finish('upload', at, 'done', `stored ${data.sizeBytes ?? '?'} bytes as blob ${data.blobUid}`);
        break;
      case 'stage.requested':
        if (stages.has('queue') && stage('queue').state === 'active') {
          finish('queue', at, 'done');
        }
        failure = null;
        begin('staging', at, 'requested' + (data.builderImage ? ` with builder image ${data.builderImage}` : '') + replay);
        break;
      case 'stage.started':
        stage('staging').notes.push(`started (${data.builder ?? '?'} builder)`);
        break;
      case 'stage.step':
        stage('staging').notes.push(`${data.step} done in ${duration(data.durationMillis)}`
          + (data.detail ? `: ${data.detail}` : ''));
        break;
      case 'stage.log':
        for (const line of data.lines ?? []) {
          log.push(String(line));
        }
        break;
      case 'stage.succeeded':
        finish('staging', at, 'done', `built ${data.image}`);
        break;
      case 'deploy.requested':
        failure = null;
        begin('deploy', at, `${String(data.action ?? 'deploy').toLowerCase()} requested`
          + (data.revision ? ` (revision ${data.revision})` : '') + replay);
        break;
      case 'app.deployed':
        finish('deploy', at, 'done', `release revision ${data.releaseRevision}, `
          + `${data.readyInstances}/${data.desiredInstances} instances ready`);
        begin('routing', at);
        break;
      case 'routes.ready':
        urls = data.urls ?? [];
        finish('routing', at, 'done', urls.length === 0 ? 'the app has no route' : 'online');
        break;
      case 'stage.failed':
      case 'deploy.failed':
      case 'routes.failed': {
        const name = REPLAY_STAGE[kind(event)];
        failure = { stage: name, ...(data.failure ?? {}) };
        finish(name, at, 'failed', `${failure.reason}`);
        break;
      }
      default:
        break;
    }
  }
  const ordered = ORDER.filter((name) => stages.has(name)).map((name) => stages.get(name));
  for (const current of ordered) {
    current.millis = current.start !== null && current.end !== null ? current.end - current.start : null;
  }
  return { stages: ordered, log, failure, urls, supersededBy };
}

/** What to do about a failure, beside the message (which names the cause). */
export function nextStep(failure) {
  if (failure.retryable) {
    return 'The fault looked transient: press Replay to run the stage again as it was recorded.';
  }
  return 'Fix the cause the message names, then push again; or press Replay to run the stage again '
    + 'as it was recorded (for a cause outside the source, such as a missing base image).';
}
