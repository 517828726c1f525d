/**
 * Signals to a whole process group. Each bot runs as the leader of a group
 * of its own (spawned detached), so its pid is the group id, and a negative
 * pid reaches every process it started.
 */

/** Sends `signal` to the process group led by `pid`; a group already gone is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True while any process of the group led by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process is there, owned by someone else (it changed user); still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
