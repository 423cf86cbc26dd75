#ifndef ANVIL_SPAWN_SHIM_H
#define ANVIL_SPAWN_SHIM_H

#include <spawn.h>
#include <sys/types.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start (Glibc's Swift module hides
/// this GNU call).
int anvil_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor
/// from `lowest` up, without anyone listing /proc/self/fd (Shared/Spawn/SpawnedProcess.swift).
int anvil_spawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// posix_spawn_file_actions_addchdir_np (glibc 2.29+): the child starts in `directory`.
int anvil_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *directory);

/// waitid(P_PID, pid, WEXITED | WNOWAIT): blocks until `pid` has ended without reaping it, so
/// the one place that reaps (SpawnedProcess.exitIfEnded) still sees it. 0, or -1 with errno.
int anvil_wait_ended(pid_t pid);

/// This process's environment (`environ`), read through a function: Swift would see the C global
/// as shared mutable state.
char *const *anvil_environment(void);

#endif
