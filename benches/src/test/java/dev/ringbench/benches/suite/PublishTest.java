package dev.ringbench.benches.suite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run for publication refuses to start from a dirty tree, before it creates or runs anything. */
class PublishTest {
    @Test
    void aPublishRunFromADirtyTreeIsRefusedBeforeAnythingIsCreated(@TempDir Path tmp) {
        Path dir = tmp.resolve("run");
        RunPlan nothing = RunPlan.of(List.of(), Preset.SMOKE, Set.of(), 4, Map.of());
        SuiteRunner dirty = new SuiteRunner(new PrintStream(new ByteArrayOutputStream()), (d, o) -> { }, (d, o) -> { },
                () -> true);
        BadInput e = assertThrows(BadInput.class, () -> dirty.run(nothing, dir, List.of("test"), true));
        assertTrue(e.getMessage().startsWith("--publish: the git tree has uncommitted changes"), e.getMessage());
        assertFalse(Files.exists(dir), "nothing written before the refusal");
    }

    @Test
    void aCleanTreeOrARunNotForPublicationIsNotRefused() {
        SuiteRunner.refuseDirtyTree(() -> false);
        assertThrows(BadInput.class, () -> SuiteRunner.refuseDirtyTree(() -> true));
    }

    @Test
    void gitDirtySeesAChangedTrackedFileButNotAnUntrackedOne(@TempDir Path repo) throws Exception {
        git(repo, "init", "-q");
        git(repo, "config", "user.email", "t@example.org");
        git(repo, "config", "user.name", "t");
        Files.writeString(repo.resolve("a.txt"), "one\n");
        git(repo, "add", "a.txt");
        git(repo, "commit", "-q", "-m", "one");
        assertFalse(Environment.gitDirty(repo), "freshly committed");
        Files.writeString(repo.resolve("untracked.txt"), "x\n");
        assertFalse(Environment.gitDirty(repo), "an untracked file is no change to what was built");
        Files.writeString(repo.resolve("a.txt"), "two\n");
        assertTrue(Environment.gitDirty(repo), "a modified tracked file");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }
}
