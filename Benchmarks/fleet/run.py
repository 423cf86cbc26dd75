#!/usr/bin/env python3
"""Fleet benchmark (issue 17): N simulated servers through Anvil's whole lifecycle, on Anvil alone.

    swift build -c release --scratch-path .build-release --product anvil   (and tftpd bootd
        metadatad bmcd reconciler anvil-sim the same way; or pass --bin .build/debug)
    python3 Benchmarks/fleet/run.py [--servers 1000] [--faulty 0.1] [--bin .build-release/release]

`anvil up` (local processes, a state directory of its own, ports shifted by a random offset) and
`anvil-sim --servers N --power-on` (docs/simulator.md): every simulated server network-boots,
its agent registers it and reports its BMC (--bmc-setup-at discovery), then:

  discovered   N Servers exist
  accepted     `anvil accept --all`
  wiped-off    every Server clean, powered off (the reconciler: PXE once + cycle over IPMI, the
               agent wipes, reports, the reconciler powers it off)
  bound        `anvil scale mmt fleet --replicas N`: N ServerBindings
  installed    every bound Server PXEBooted (the target environment fetched /configdata and
               reported installed; then it boots from disk)
  released     `anvil scale mmt fleet --replicas 0`: no Server in use
  wiped-off    every Server clean and off again

It prints the time of each phase, the total, CPU seconds and peak RSS of each daemon, the store's
size, bus requests per second, HTTP calls and IPMI commands per server, and the ratio of the total
to the issue's goal (5 minutes for 1 000 servers on this 2-core machine). No published peer figure
exists (metal3 and MAAS publish none), so the goal is the reference. With --faulty F, a fraction F
of the BMCs misbehave (split across frozen, wrong password, slow, lossy, lying); only healthy
servers are allocated, and the faulty ones must end with a condition that names the problem.
Python 3 stdlib only; loopback only.
"""
import argparse, json, os, random, signal, socket, struct, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DAEMONS = ["tftpd", "bootd", "metadatad", "bmcd", "reconciler"]


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class Suite:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.state = os.path.join(work, "state")
        self.offset = random.randint(20000, 29000)
        self.env = dict(os.environ, ANVIL_STATE=self.state, ANVIL_BMC_SETUP_AT="discovery",
                        ANVIL_DEFAULT_ENVIRONMENT_URL="http://127.0.0.1:9/talos")
        for key in list(self.env):
            if key.startswith("ANVIL_") and key not in ("ANVIL_STATE", "ANVIL_BMC_SETUP_AT", "ANVIL_DEFAULT_ENVIRONMENT_URL"):
                del self.env[key]
        for setting in args.setting:
            key, _, value = setting.partition("=")
            self.env["ANVIL_" + key.upper().replace("-", "_")] = value
        self.up = None
        self.sim = None

    def bin(self, name):
        return os.path.join(self.args.bin, name)

    def anvil(self, *arguments, check=True):
        result = subprocess.run([self.bin("anvil"), *arguments], env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise RuntimeError(f"anvil {' '.join(arguments)}: {result.stderr.strip()}")
        return result.stdout

    def start(self):
        os.makedirs(self.state)
        with open(os.path.join(self.work, "anvil-up.log"), "w") as out:
            self.up = subprocess.Popen([self.bin("anvil"), "up", "--port-offset", str(self.offset), "--quiet"],
                                       env=self.env, stdout=out, stderr=subprocess.STDOUT)
        bootd = f"http://127.0.0.1:{8081 + self.offset}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(bootd + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("anvil up did not start (see anvil-up.log)")
        faults = []
        if self.args.faulty > 0:
            share = self.args.faulty / 5
            faults = ["--fault-frozen-bmc", str(share), "--fault-wrong-password", str(share), "--fault-slow-bmc", str(share),
                      "--fault-packet-loss", str(share), "--fault-power-lie", str(share)]
        with open(os.path.join(self.work, "anvil-sim.log"), "w") as out:
            self.sim = subprocess.Popen(
                [self.bin("anvil-sim"), "--servers", str(self.args.servers), "--bootd", bootd, "--power-on",
                 "--wipe-seconds", str(self.args.wipe_seconds), "--post-seconds", str(self.args.post_seconds),
                 "--seed", "1", "--report-every", "30", "--quiet",
                 "--report-json", os.path.join(self.work, "sim-report.json"), *faults],
                env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def faulty_uuids(self):
        """The servers the simulator gave a fault, and their faults (its start-up lines name them)."""
        uuids = {}
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with open(os.path.join(self.work, "anvil-sim.log")) as f:
                    lines = f.read().splitlines()
            except OSError:
                lines = []
            described = [line for line in lines if " uuid " in line and " mac " in line]
            if len(described) >= self.args.servers:
                for line in described:
                    if " faults " in line:
                        uuids[line.split(" uuid ", 1)[1].split()[0]] = line.split(" faults ", 1)[1].split()[0]
                return uuids
            time.sleep(0.2)
        return uuids

    def servers(self):
        text = self.anvil("get", "servers", "-o", "json", check=False)
        try:
            value = json.loads(text) if text.strip() else []
        except json.JSONDecodeError:
            return []
        return value.get("items", []) if isinstance(value, dict) else value

    def bindings(self):
        text = self.anvil("get", "serverbindings", "-o", "name", check=False)
        return [line for line in text.splitlines() if line.strip()]

    def daemon_pids(self):
        pids = {}
        for line in subprocess.run(["ps", "--ppid", str(self.up.pid), "-o", "pid=,args="], capture_output=True, text=True).stdout.splitlines():
            pid, command = line.strip().split(None, 1)
            name = os.path.basename(command.split()[0])
            if name in DAEMONS:
                pids.setdefault(name, []).append(int(pid))
        return pids

    def bus_requests(self):
        total = 0
        for name in DAEMONS:
            path = os.path.join(self.state, "run", f"{name}.sock")
            try:
                total += bus_call(path, "service.info").get("counters", {}).get("requestsServed", 0)
            except OSError:
                pass
        return total

    def stop(self):
        for process in (self.sim, self.up):
            if process and process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def bus_call(path, method):
    """One JSON-RPC call on a daemon's bus socket (length-prefixed frames, docs/architecture.md)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(path)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method}).encode()
        s.sendall(struct.pack(">I", len(body)) + body)
        header = recv_exactly(s, 4)
        answer = json.loads(recv_exactly(s, struct.unpack(">I", header)[0]))
        return answer.get("result", {})


def recv_exactly(s, count):
    data = b""
    while len(data) < count:
        chunk = s.recv(count - len(data))
        if not chunk:
            raise OSError("bus peer closed")
        data += chunk
    return data


def clear_condition(server):
    """The condition that names a server's problem: BMCReady False or Stalled True (type/reason)."""
    for c in server.get("status", {}).get("conditions", []):
        if (c.get("type"), c.get("status")) in (("BMCReady", "False"), ("Stalled", "True")):
            return f"{c['type']} {c['status']} ({c.get('reason', '')})"
    return None


def condition(server, kind):
    for c in server.get("status", {}).get("conditions", []):
        if c.get("type") == kind:
            return c.get("status")
    return None


def proc_usage(pid):
    """CPU seconds (user + system) and peak RSS in MiB of a live process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return cpu, peak


def manifests(work, replicas):
    """A target Environment (file:// assets the reconciler verifies), a class of every simulated
    server, the bootstrap config and a template."""
    import hashlib
    paths = {}
    for name, size in (("vmlinuz", 4096), ("initramfs.xz", 4096)):
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(os.urandom(size))
        paths[name] = (path, hashlib.sha512(open(path, "rb").read()).hexdigest())
    return f"""apiVersion: metal.sidero.dev/v1alpha2
kind: Environment
metadata:
  name: fleet-target
spec:
  kernel:
    url: file://{paths['vmlinuz'][0]}
    sha512: {paths['vmlinuz'][1]}
    args: [console=ttyS0]
  initrd:
    url: file://{paths['initramfs.xz'][0]}
    sha512: {paths['initramfs.xz'][1]}
---
apiVersion: metal.sidero.dev/v1alpha2
kind: ServerClass
metadata:
  name: fleet
spec:
  environmentRef:
    name: fleet-target
  qualifiers:
    hardware:
      - system:
          manufacturer: AnvilSim
---
apiVersion: v1
kind: Secret
metadata:
  name: fleet-bootstrap
stringData:
  value: |
    version: v1alpha1
    machine:
      type: worker
      install:
        disk: /dev/sda
    cluster:
      name: fleet
---
apiVersion: infrastructure.cluster.x-k8s.io/v1alpha3
kind: MetalMachineTemplate
metadata:
  name: fleet
spec:
  template:
    spec:
      serverClassRef:
        apiVersion: metal.sidero.dev/v1alpha2
        kind: ServerClass
        name: fleet
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--faulty", type=float, default=0.0, help="fraction of BMCs that misbehave")
    parser.add_argument("--bin", default=os.path.join(REPO, ".build-release", "release"))
    parser.add_argument("--wipe-seconds", type=float, default=5)
    parser.add_argument("--post-seconds", type=float, default=0,
                        help="firmware POST time of a simulated boot (0: instant; a server Anvil cannot power off then reboots far faster than hardware)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per phase before giving up")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="an Anvil setting for `anvil up`, e.g. max-bmc-commands=256 (ANVIL_MAX_BMC_COMMANDS)")
    args = parser.parse_args()
    for name in ["anvil", "anvil-sim", *DAEMONS]:
        if not os.access(os.path.join(args.bin, name), os.X_OK):
            sys.exit(f"missing {name} in {args.bin}: build it first (see the top of this file)")

    work = tempfile.mkdtemp(prefix="anvil-fleet-")
    suite = Suite(args, work)
    phases = []
    started = time.time()
    total = None
    ok = True
    try:
        suite.start()
        log(f"anvil up (ports +{suite.offset}) and anvil-sim --servers {args.servers} started; work directory {work}")
        n = args.servers

        faulty = suite.faulty_uuids()

        def phase(name, done, action=None, healthy=None):
            nonlocal ok
            begin = time.time()
            if action:
                action()
            last = ""
            healthy_at = None
            while True:
                servers = suite.servers()
                verdict, status = done(servers)
                if healthy and healthy_at is None and healthy([s for s in servers if s["metadata"]["name"] not in faulty]):
                    healthy_at = time.time() - begin
                if status != last:
                    log(f"{name}: {status}")
                    last = status
                # With faults, a phase also waits for every healthy server: that is what is measured.
                if verdict and (not (args.faulty and healthy) or healthy_at is not None):
                    break
                if time.time() - begin > args.timeout or suite.up.poll() is not None or suite.sim.poll() is not None:
                    ok = False
                    raise RuntimeError(f"phase {name} did not finish: {status}")
                time.sleep(1)
            phases.append((name, time.time() - begin, healthy_at))

        healthy = None

        def count(servers, predicate):
            return sum(1 for s in servers if predicate(s))

        def clean_off(s):
            st = s.get("status", {})
            return st.get("isClean") and st.get("power") == "off" and not st.get("inUse")

        phase("discovered", lambda ss: (len(ss) >= n, f"{len(ss)}/{n} servers"))
        phase("accepted", lambda ss: (count(ss, lambda s: s.get("spec", {}).get("accepted")) >= n,
                                      f"{count(ss, lambda s: s.get('spec', {}).get('accepted'))}/{n} accepted"),
              action=lambda: suite.anvil("accept", "--all"))
        target = n if args.faulty == 0 else int(round(n * (1 - args.faulty)))
        every_clean_off = lambda ss: all(clean_off(s) for s in ss)
        every_bound_installed = lambda ss: all(condition(s, "PXEBooted") == "True" for s in ss if s.get("status", {}).get("inUse"))
        phase("wiped-off", lambda ss: (count(ss, clean_off) >= target, f"{count(ss, clean_off)}/{n} clean and off"), healthy=every_clean_off)

        with open(os.path.join(work, "fleet.yaml"), "w") as f:
            f.write(manifests(work, target))
        phase("bound", lambda ss: (len(suite.bindings()) >= target, f"{len(suite.bindings())}/{target} bound"),
              action=lambda: (suite.anvil("apply", "-f", os.path.join(work, "fleet.yaml")),
                              suite.anvil("scale", "mmt", "fleet", "--replicas", str(target), "--bootstrap-secret", "fleet-bootstrap")))
        phase("installed", lambda ss: (count(ss, lambda s: condition(s, "PXEBooted") == "True") >= target,
                                       f"{count(ss, lambda s: condition(s, 'PXEBooted') == 'True')}/{target} installed"),
              healthy=every_bound_installed)
        phase("released", lambda ss: (count(ss, lambda s: s.get("status", {}).get("inUse")) == 0 and not suite.bindings(),
                                      f"{count(ss, lambda s: s.get('status', {}).get('inUse'))} still in use"),
              action=lambda: suite.anvil("scale", "mmt", "fleet", "--replicas", "0"),
              healthy=lambda ss: not any(s.get("status", {}).get("inUse") for s in ss))
        phase("wiped-off again", lambda ss: (count(ss, clean_off) >= target, f"{count(ss, clean_off)}/{n} clean and off"),
              healthy=every_clean_off)
        total = time.time() - started
        if args.faulty:
            # Then every faulty server must end clean and off, or with a condition naming its problem.
            def settled(ss):
                left = [s for s in ss if s["metadata"]["name"] in faulty and not clean_off(s) and not clear_condition(s)]
                return (not left, f"{len(left)} faulty servers neither clean and off nor with BMCReady False / Stalled True")
            phase("faulty settled", settled)
    except Exception as error:  # the figures so far are still worth printing
        ok = False
        log(f"FAILED: {error}")
    if total is None:
        total = time.time() - started

    usage = {}
    if suite.up and suite.up.poll() is None:
        for name, pids in suite.daemon_pids().items():
            cpu, peak = 0.0, 0.0
            for pid in pids:
                c, p = proc_usage(pid)
                cpu += c
                peak = max(peak, p)
            usage[name] = (cpu, peak)
    requests = suite.bus_requests() if suite.up else 0
    servers = suite.servers() if suite.up else []
    suite.stop()
    report = {}
    try:
        with open(os.path.join(work, "sim-report.json")) as f:
            report = json.load(f)
    except (OSError, json.JSONDecodeError):
        pass
    store = sum(os.path.getsize(os.path.join(suite.state, name)) for name in os.listdir(suite.state) if name.startswith("anvil.db"))

    print()
    print(f"fleet benchmark: {args.servers} simulated servers{f', {args.faulty:.0%} faulty BMCs' if args.faulty else ''}, "
          f"wipe {args.wipe_seconds:g} s, POST {args.post_seconds:g} s ({args.bin})")
    for name, seconds, healthy_at in phases:
        extra = f"   healthy servers all there after {healthy_at:.1f} s" if args.faulty and healthy_at is not None else ""
        if name == "faulty settled":
            continue
        print(f"  {name:<16} {seconds:8.1f} s{extra}")
    goal = f"   ratio to the goal (300 s for 1000 servers): {total / 300:.2f}" if args.servers == 1000 else "   (the goal, 300 s, is for 1000 servers)"
    print(f"  {'total':<16} {total:8.1f} s{goal}")
    for name in DAEMONS:
        if name in usage:
            print(f"  {name:<11} CPU {usage[name][0]:8.1f} s   peak RSS {usage[name][1]:7.1f} MiB")
    print(f"  store        {store / 1048576:.1f} MiB;  bus requests {requests} ({requests / max(total, 1):.0f}/s)")
    if report:
        bmc = report.get("bmc", {})
        per = lambda key: bmc.get(key, 0) / max(args.servers, 1)
        print(f"  simulator    HTTP calls {report.get('httpCalls', 0)} ({report.get('httpFailures', 0)} failed); "
              f"IPMI commands per server {per('commands'):.1f}; boots {report.get('boots', 0)}")
    if args.faulty and servers:
        settle = next((seconds for name, seconds, _ in phases if name == "faulty settled"), None)
        print(f"  faulty       {len(faulty)} servers; every one clean and off or naming its problem "
              + (f"{settle:.1f} s after the lifecycle" if settle is not None else "NOT within the timeout"))
        by_fault = {}
        for s in servers:
            fault = faulty.get(s["metadata"]["name"])
            if fault is None:
                continue
            if clean_off(s):
                outcome = "clean and off"
            else:
                outcome = clear_condition(s) or "no clear condition"
            by_fault.setdefault(fault, {}).setdefault(outcome, 0)
            by_fault[fault][outcome] += 1
        for fault in sorted(by_fault):
            print(f"    {fault:<20} " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(by_fault[fault].items())))
    print(f"RESULT {'completed' if ok else 'FAILED'} in {total:.0f}s")
    if not args.keep and ok:
        subprocess.run(["rm", "-rf", work])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
