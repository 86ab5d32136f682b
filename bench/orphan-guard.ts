/**
 * Preloaded (`node --require`) into every process a bench starts: when the bench dies in a way
 * that runs none of its own clean-up (SIGKILL, an out-of-memory kill), the process is re-parented
 * and ends itself, so no service is left holding a port or a data directory.
 */
const benchPid = process.ppid;

setInterval(() => {
  if (process.ppid !== benchPid) process.kill(process.pid, 'SIGTERM');
}, 500).unref();
