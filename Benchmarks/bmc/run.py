#!/usr/bin/env python3
"""BMC benchmark: Anvil bmcd against ipmitool, same ipmi_sim BMCs, same run.

    swift build -c release --scratch-path .build-release --product bmcd
    swift build -c release --scratch-path .build-release --product anvil
    python3 Benchmarks/bmc/run.py [--bin .build-release/release] [--count 200] [--ipmitool-count 50] [--fleet 20]

1. One ipmi_sim. `power status` latency and commands/s:
     anvil     power.status over bmcd's bus, sequential, on bmcd's live RMCP+ session
     ipmitool  `ipmitool -I lanplus -C 3 ... chassis power status`, one process per command
   and Anvil's ratio (the issue's goal: >= 10x faster per command).
2. A fleet of --fleet ipmi_sim instances, all power-cycled at once:
     anvil     one power.cycle per server, all in flight together through bmcd
     ipmitool  one `chassis power cycle` process per BMC, all started together
   and the total wall time of each.
Needs ipmi_sim and ipmitool (Debian: apt-get install openipmi ipmitool). Python 3 stdlib only.
"""
import argparse, json, os, shutil, signal, socket, statistics, struct, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

CHASSIS = """#!/bin/sh
ST={dir}; mkdir -p "$ST"
mc=$1; op=$2; shift 2
case $op in
  get) for k in "$@"; do case $k in
        power) echo "power:$(cat "$ST/power" 2>/dev/null || echo 0)";;
        boot) echo "boot:$(cat "$ST/boot" 2>/dev/null || echo none)";;
        *) echo "$k:0";; esac; done;;
  set) while [ $# -ge 2 ]; do k=$1; v=$2; shift 2; case $k in
        power) echo "$v" > "$ST/power";;
        reset) echo 1 > "$ST/power";;
        shutdown) echo 0 > "$ST/power";;
        boot) echo "$v" > "$ST/boot";;
        esac; done;;
  check) exit 0;;
esac
exit 0
"""

LAN = """name "bench-bmc"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 {port}
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
{chassis_line}  startnow false
  poweroff_wait 0
  kill_wait 0
  user 2 true  "admin"   "password" admin    10       none md2 md5 straight
"""

EMU = """mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
mc_enable 0x20
"""


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bus:
    """JSON-RPC 2.0 over a Unix socket, 4-byte big-endian length frames (Shared/Bus)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.next_id = 0
        self.lock = threading.Lock()

    def call(self, method, params):
        with self.lock:
            self.next_id += 1
            message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
            if params is not None:
                message["params"] = params
            body = json.dumps(message).encode()
            self.sock.sendall(struct.pack(">I", len(body)) + body)
            header = self._read(4)
            reply = json.loads(self._read(struct.unpack(">I", header)[0]))
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("bus connection closed")
            data += chunk
        return data


def start_sim(tmp, index, chassis_script=True):
    d = os.path.join(tmp, f"sim{index}")
    os.makedirs(os.path.join(d, "state"))
    port = free_udp_port()
    chassis = os.path.join(d, "chassis.sh")
    with open(chassis, "w") as f:
        f.write(CHASSIS.format(dir=os.path.join(d, "chassis")))
    os.chmod(chassis, 0o755)
    with open(os.path.join(d, "lan.conf"), "w") as f:
        # Without --chassis-script, ipmi_sim keeps power itself: no fork per command, so the
        # figures measure the IPMI clients, not a shell script on the BMC side.
        line = f'  chassis_control "{chassis} 0x20"\n' if chassis_script else ""
        f.write(LAN.format(port=port, chassis_line=line))
    with open(os.path.join(d, "sim.emu"), "w") as f:
        f.write(EMU)
    proc = subprocess.Popen(["ipmi_sim", "-n", "-c", os.path.join(d, "lan.conf"), "-f", os.path.join(d, "sim.emu"), "-s", os.path.join(d, "state")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(200):
        if ipmitool(port, ["chassis", "power", "status"], check=False).returncode == 0:
            return proc, port
        time.sleep(0.05)
    raise SystemExit(f"ipmi_sim on port {port} did not answer")


def ipmitool(port, args, check=True):
    return subprocess.run(["ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p", str(port), "-U", "admin", "-P", "password", "-C", "3"] + args,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=check)


def server(i):
    """Server names are SMBIOS UUIDs."""
    return f"00000000-0000-4000-8000-{i:012d}"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(name, latencies, wall):
    return {"name": name, "n": len(latencies), "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
            "per_s": len(latencies) / wall}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, ".build-release", "release"))
    ap.add_argument("--count", type=int, default=200, help="sequential power.status calls through bmcd")
    ap.add_argument("--ipmitool-count", type=int, default=50, help="sequential ipmitool processes")
    ap.add_argument("--fleet", type=int, default=20, help="ipmi_sim instances power-cycled at once")
    args = ap.parse_args()
    for tool in ("ipmi_sim", "ipmitool"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not found: apt-get install openipmi ipmitool")
    for product in ("bmcd", "anvil"):
        if not os.path.exists(os.path.join(args.bin, product)):
            raise SystemExit(f"{args.bin}/{product} missing: swift build -c release --scratch-path .build-release --product {product}")

    tmp = tempfile.mkdtemp(prefix="anvil-bmc-bench-")
    procs = []
    try:
        # Server 0: ipmi_sim keeping power itself (no fork per command on the BMC side), for the
        # per-command figures. Servers 1..fleet: with a chassis_control script, for the cycles.
        sims = [start_sim(tmp, 0, chassis_script=False)] + [start_sim(tmp, i) for i in range(1, max(1, args.fleet) + 1)]
        procs += [p for p, _ in sims]
        state = os.path.join(tmp, "state")
        env = dict(os.environ, ANVIL_STATE=state)
        manifest = "".join(
            f"---\napiVersion: metal.sidero.dev/v1alpha2\nkind: Server\nmetadata:\n  name: {server(i)}\nspec:\n"
            f"  accepted: true\n  bmc:\n    endpoint: 127.0.0.1\n    port: {port}\n    user: admin\n    pass: password\n"
            for i, (_, port) in enumerate(sims))
        subprocess.run([os.path.join(args.bin, "anvil"), "apply", "-f", "-"], input=manifest.encode(), env=env, check=True, stdout=subprocess.DEVNULL)
        bmcd = subprocess.Popen([os.path.join(args.bin, "bmcd"), "--local", "--state", state, "--http-port", "0", "--log-level", "warning",
                                 "--max-bmc-commands", "64"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        procs.append(bmcd)
        sock = os.path.join(state, "run", "bmcd.sock")
        for _ in range(600):
            if os.path.exists(sock):
                try:
                    bus = Bus(sock)
                    bus.call("health.check", None)
                    break
                except Exception:
                    pass
            time.sleep(0.05)
        else:
            raise SystemExit("bmcd did not start")

        ratio = None
        for index, label in ((0, "ipmi_sim keeping power itself"), (1, "ipmi_sim forking a chassis_control script per command")):
            port = sims[index][1]
            print(f"== power status, one BMC ({label}, 127.0.0.1:{port}), sequential")
            bus.call("power.status", {"server": server(index)})  # opens the session (not counted)
            lat = []
            t0 = time.perf_counter()
            for _ in range(args.count):
                s = time.perf_counter()
                bus.call("power.status", {"server": server(index)})
                lat.append(time.perf_counter() - s)
            anvil = summary("anvil (bmcd, live session)", lat, time.perf_counter() - t0)
            lat = []
            t0 = time.perf_counter()
            for _ in range(args.ipmitool_count):
                s = time.perf_counter()
                ipmitool(port, ["chassis", "power", "status"])
                lat.append(time.perf_counter() - s)
            tool = summary("ipmitool -I lanplus -C 3", lat, time.perf_counter() - t0)
            print(f"{'client':32} {'n':>5} {'p50 ms':>9} {'p99 ms':>9} {'cmds/s':>9}")
            for r in (anvil, tool):
                print(f"{r['name']:32} {r['n']:>5} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} {r['per_s']:>9.1f}")
            this = anvil["per_s"] / tool["per_s"]
            ratio = this if ratio is None else ratio
            print(f"anvil / ipmitool: commands/s x{this:.1f}, p50 x{tool['p50_ms'] / anvil['p50_ms']:.1f} faster, "
                  f"p99 x{tool['p99_ms'] / anvil['p99_ms']:.1f} faster")
            info = bus.call("bmc.info", {"server": server(index)})
            print(f"sessions bmcd opened for {args.count + 1} commands: {info.get('sessionsEstablished')} (cipher suite {info.get('cipherSuite')})\n")
        print(f"goal (>= 10x ipmitool per command, BMC without a fork per command): {'met' if ratio >= 10 else 'NOT met'} (x{ratio:.1f})\n")

        fleet = sims[1:]
        n = len(fleet)
        print(f"\n== power cycle of {n} BMCs at once")
        results = [None] * n

        def cycle(i):
            b = Bus(sock)
            s = time.perf_counter()
            b.call("power.cycle", {"server": server(i + 1), "timeout": 120})
            results[i] = time.perf_counter() - s

        threads = [threading.Thread(target=cycle, args=(i,)) for i in range(n)]
        t0 = time.perf_counter()
        for t in threads: t.start()
        for t in threads: t.join()
        anvil_wall = time.perf_counter() - t0
        failed = sum(1 for r in results if r is None)
        t0 = time.perf_counter()
        tools = [subprocess.Popen(["ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p", str(port), "-U", "admin", "-P", "password", "-C", "3",
                                   "chassis", "power", "cycle"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _, port in fleet]
        tool_failed = sum(1 for p in tools if p.wait() != 0)
        tool_wall = time.perf_counter() - t0
        print(f"anvil (bmcd, {n} BMCs, the first one's session already open): {anvil_wall * 1000:.0f} ms wall, {failed} failed")
        print(f"ipmitool ({n} processes):               {tool_wall * 1000:.0f} ms wall, {tool_failed} failed")
        print(f"anvil / ipmitool wall time: x{tool_wall / anvil_wall:.1f} faster")
        return 0 if failed == 0 and tool_failed == 0 else 1
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except Exception:
                pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
