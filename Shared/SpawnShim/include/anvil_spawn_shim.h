#ifndef ANVIL_SPAWN_SHIM_H
#define ANVIL_SPAWN_SHIM_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start (Glibc's Swift module hides
/// this GNU call).
int anvil_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor
/// from `lowest` up, without anyone listing /proc/self/fd (Shared/Spawn/SpawnedProcess.swift).
int anvil_spawn_add_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
