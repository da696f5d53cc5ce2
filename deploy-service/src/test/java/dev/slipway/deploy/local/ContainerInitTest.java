package dev.slipway.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerInitTest {

    @Test
    void noneRunsAppsWithoutAnInit() {
        assertThat(ContainerInit.resolve(ContainerInit.NONE)).isEmpty();
    }

    @Test
    void aPathThatIsNoProgramGivesNoInitRatherThanAFailingRun(@TempDir Path folder) {
        assertThat(ContainerInit.resolve(folder.resolve("catatonit").toString())).isEmpty();
    }

    @Test
    void aGivenProgramIsTaken(@TempDir Path folder) throws Exception {
        Path init = Files.createFile(folder.resolve("tini"));
        init.toFile().setExecutable(true);

        assertThat(ContainerInit.resolve(init.toString())).contains(init);
    }

    @Test
    void autoFindsCatatonitWhereDebianPutsIt() {
        boolean installed = ContainerInit.PLACES.stream().anyMatch(Files::isExecutable);

        assertThat(ContainerInit.resolve(ContainerInit.AUTO).isPresent()).isEqualTo(installed);
    }
}
