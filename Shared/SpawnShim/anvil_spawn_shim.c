#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include "anvil_spawn_shim.h"

extern char **environ;

int anvil_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int anvil_spawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int anvil_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *directory) {
    return posix_spawn_file_actions_addchdir_np(actions, directory);
}

int anvil_wait_ended(pid_t pid) {
    siginfo_t info;
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT);
}

char *const *anvil_environment(void) {
    return environ;
}
