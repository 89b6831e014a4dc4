import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Who used the CPU during a measurement (Linux only: read from /proc). On a
 * shared 2-core machine this is how to tell a slow server from a busy
 * neighbour: "other" is CPU used by processes that are not part of the run.
 * Figures are percent of one core (a 2-core machine has 200%).
 */
export interface CpuShare {
  machineBusy: number;
  /** The Gatehouse (or ceiling) server processes measured. */
  server: number;
  /** Every process named postgres (the server's backends, checkpointer, WAL writer…). */
  postgres: number;
  /** This process: autocannon and the orchestrator. */
  bench: number;
  other: number;
  /** Time the hypervisor gave this machine's CPUs to someone else (virtual machines only). */
  steal: number;
}

interface Sample {
  at: number;
  busy: number;
  steal: number;
  ticks: Map<number, { comm: string; ticks: number }>;
}

const HZ = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

export function sampleCpu(): Sample | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  const cpu =
    readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal (busy leaves out idle, iowait and steal)
  const busy = cpu.slice(0, 7).reduce((s, v, i) => (i === 3 || i === 4 ? s : s + v), 0);
  const steal = cpu[7] ?? 0;
  const ticks = new Map<number, { comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      ticks.set(Number(entry), {
        comm: stat.slice(stat.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // the process ended while we looked
    }
  }
  return { at: performance.now(), busy, steal, ticks };
}

export function cpuBetween(
  a: Sample | undefined,
  b: Sample | undefined,
  serverPids: readonly number[],
): CpuShare | undefined {
  if (!a || !b) return undefined;
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks: number) => Math.round((ticks / HZ / seconds) * 100);
  const used = (pid: number) => {
    const after = b.ticks.get(pid);
    return after ? after.ticks - (a.ticks.get(pid)?.ticks ?? 0) : 0;
  };
  let postgres = 0;
  for (const [pid, p] of b.ticks) if (p.comm === 'postgres') postgres += used(pid);
  const server = serverPids.reduce((s, pid) => s + used(pid), 0);
  const bench = used(process.pid);
  const machineBusy = b.busy - a.busy;
  return {
    machineBusy: pct(machineBusy),
    server: pct(server),
    postgres: pct(postgres),
    bench: pct(bench),
    other: Math.max(0, pct(machineBusy - server - postgres - bench)),
    steal: pct(b.steal - a.steal),
  };
}
