// Jest's globalTeardown. A suite that leaves a server, socket, child process or timer open keeps jest from exiting
// after the last test (it runs in band on a 2-core machine), and CI would only see a timeout. After the run this
// names what is still open and, if it is still open 30 s later (after jest has written its results), exits with 1,
// so a leak fails the run with a description instead of hanging it.
const GRACE_MS = 30_000;

function describe(handle) {
  const type = handle?.constructor?.name ?? typeof handle;
  if (type === 'Socket')
    return `Socket ${handle.localAddress}:${handle.localPort} -> ${handle.remoteAddress}:${handle.remotePort}`;
  if (type === 'Server') return `Server ${JSON.stringify(handle.address?.())}`;
  if (type === 'ChildProcess')
    return `ChildProcess pid ${handle.pid}: ${(handle.spawnargs ?? []).slice(0, 3).join(' ')}`;
  if (type === 'Timeout') return `Timeout ${handle._idleTimeout} ms: ${String(handle._onTimeout).slice(0, 120)}`;
  return type;
}

module.exports = async () => {
  const watchdog = setTimeout(() => {
    const open = process._getActiveHandles().filter((handle) => handle !== watchdog);
    console.error(`\nOpen handles ${GRACE_MS / 1000} s after the run (a suite did not stop them):`);
    for (const handle of open) console.error(`  ${describe(handle)}`);
    process.exit(1);
  }, GRACE_MS);
  watchdog.unref();
};
