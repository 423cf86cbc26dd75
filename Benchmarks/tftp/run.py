#!/usr/bin/env python3
"""TFTP benchmark: Anvil tftpd against tftp-hpa (in.tftpd) and atftpd, on loopback.

    python3 Benchmarks/tftp/run.py [--anvil-tftpd PATH] [--quick] [--repeat K]

Compiles tftp_load.c (an epoll load client, one UDP socket per transfer), builds a
served root in a temp dir, starts the three servers on free loopback ports, runs
every scenario against each server (anvil, tftp-hpa, atftpd), prints a table per
scenario, Anvil's ratios to the peers and a summary of the goals. Python 3 stdlib
only. Exit code 0 unless a server failed to start or transfers failed.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MIB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")
UNDIONLY = "/usr/lib/ipxe/undionly.kpxe"
SERVER_ORDER = ["anvil", "anvil-1port", "tftp-hpa", "atftpd"]
# Anvil runs twice: the default (a new port per transfer, RFC 1350 TIDs) and --single-port.
ANVILS = ["anvil", "anvil-1port"]
PEERS = ["tftp-hpa", "atftpd"]


# --- server command lines: adjust here ------------------------------------------------

def anvil_command(binary, port, root, tmp, extra=(), state="anvil-state"):
    empty = os.path.join(tmp, "no-ipxe")
    os.makedirs(empty, exist_ok=True)
    return [
        binary,
        "--state", os.path.join(tmp, state),
        "--ipxe-dir", empty,                 # leave the shared root as it is (no iPXE copies)
        "--local",
        "--http-port", "0",
        "--tftp-address", "127.0.0.1",
        "--tftp-port", str(port),
        "--tftp-root", root,
        "--max-transfers", "4096",
        "--max-transfers-per-client", "0",   # 0 = unlimited: every client here is 127.0.0.1
        "--rrq-rate-per-client", "0",        # 0 = unlimited
        "--log-level", "warning",
    ] + list(extra)


def anvil_single_port_command(binary, port, root, tmp):
    # Every transfer answered from the listening port: reads and writes batch (recvmmsg/sendmmsg).
    return anvil_command(binary, port, root, tmp, extra=["--single-port"], state="anvil-1port-state")


def tftp_hpa_command(binary, port, root, tmp):
    # tftp-hpa 5.2: -L = --foreground (implies --listen), -a = --address, -s = --secure
    # (chroot to ROOT), -u root so it keeps access to the 0700 temp dir. Max blksize
    # defaults to 65464, so 1468 is granted; it has no windowsize (runs lockstep).
    return [binary, "--foreground", "--address", "127.0.0.1:%d" % port, "--secure", "--user", "root", root]


def atftpd_command(binary, port, root, tmp):
    # atftp 0.8.0: threads, one per transfer, capped by --maxthread (default 100).
    return [binary, "--daemon", "--no-fork", "--port", str(port), "--bind-address", "127.0.0.1",
            "--maxthread", "1000", "--user", "root", "--group", "root", "--logfile", "/dev/null", root]


def find_binary(explicit, names, extra_paths, version_tag):
    """First candidate whose `-V` output mentions version_tag. Debian's atftpd package
    also installs /usr/sbin/in.tftpd (a symlink to atftpd), so the name alone is not enough."""
    if explicit:
        return explicit if os.path.exists(explicit) else None
    seen = []
    for p in [shutil.which(n) for n in names] + extra_paths:
        if not p or p in seen or not os.path.exists(p):
            continue
        seen.append(p)
        try:
            out = subprocess.run([p, "-V"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=5).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        if version_tag in out.decode("utf-8", "replace"):
            return p
    return None


# --- scenarios ---------------------------------------------------------------------------

class Scenario:
    def __init__(self, key, title, file, n, c, blksize, window=0, tsize=False):
        self.key, self.title, self.file = key, title, file
        self.n, self.c, self.blksize, self.window, self.tsize = n, c, blksize, window, tsize


def scenarios(quick):
    if quick:
        big, storm, many, pxe_n, pxe_c = "file-4m", 10, 40, 200, 50
    else:
        big, storm, many, pxe_n, pxe_c = "file-32m", 50, 200, 1000, 200
    big_label = big.split("-")[1].upper().replace("M", " MiB")
    return [
        Scenario("a-1468", "boot storm: %d concurrent x 1 MiB, blksize 1468" % storm, "file-1m", storm, storm, 1468),
        Scenario("a-512", "boot storm: %d concurrent x 1 MiB, blksize 512" % storm, "file-1m", storm, storm, 512),
        Scenario("b-1468", "%d concurrent x 1 MiB, blksize 1468" % many, "file-1m", many, many, 1468),
        Scenario("b-512", "%d concurrent x 1 MiB, blksize 512" % many, "file-1m", many, many, 512),
        Scenario("c", "%d x undionly.kpxe, concurrency %d, blksize 1468, tsize" % (pxe_n, pxe_c),
                 "undionly.kpxe", pxe_n, pxe_c, 1468, 0, True),
        Scenario("d-ws1", "1 client x %s, blksize 1468, windowsize 1" % big_label, big, 1, 1, 1468, 1),
        Scenario("d-ws8", "1 client x %s, blksize 1468, windowsize 8" % big_label, big, 1, 1, 1468, 8),
        Scenario("d-ws16", "1 client x %s, blksize 1468, windowsize 16" % big_label, big, 1, 1, 1468, 16),
    ]


# --- measurement helpers -----------------------------------------------------------------

def free_udp_ports(k):
    socks, ports = [], []
    try:
        for _ in range(k):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def machine_busy_seconds():
    """Busy CPU time of the whole machine (user+nice+system+irq+softirq), seconds."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / CLK_TCK


def udp_rcvbuf_errors():
    """Machine-wide count of UDP datagrams dropped because a socket's receive buffer was full."""
    try:
        with open("/proc/net/snmp") as f:
            rows = [line.split() for line in f if line.startswith("Udp:")]
        return int(rows[1][rows[0].index("RcvbufErrors")])
    except (OSError, ValueError, IndexError):
        return None


class CgroupCPU:
    """CPU time of a process tree via its own cgroup (counts exited children too, which
    /proc cannot: in.tftpd does not reap its per-transfer children into cutime).
    cgroup v1 cpuacct, else v2; unavailable -> None (the caller falls back to machine-wide)."""

    def __init__(self, name):
        self.path, self.kind = None, None
        leaf = "anvil-tftp-bench-%d-%s" % (os.getpid(), name)
        v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        for base, kind in (("/sys/fs/cgroup/cpuacct", "v1"), ("/sys/fs/cgroup/cpu,cpuacct", "v1"),
                           ("/sys/fs/cgroup" if v2 else None, "v2")):
            if not base or not os.path.isdir(base):
                continue
            try:
                os.mkdir(os.path.join(base, leaf))
            except OSError:
                continue
            self.path, self.kind = os.path.join(base, leaf), kind
            break

    def add(self, pid):
        if not self.path:
            return False
        try:
            with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
                f.write(str(pid))
            return True
        except OSError:
            self.remove()
            return False

    def seconds(self):
        if not self.path:
            return None
        try:
            if self.kind == "v1":
                with open(os.path.join(self.path, "cpuacct.usage")) as f:
                    return int(f.read()) / 1e9
            with open(os.path.join(self.path, "cpu.stat")) as f:
                for line in f:
                    k, v = line.split()
                    if k == "usage_usec":
                        return int(v) / 1e6
        except (OSError, ValueError):
            return None
        return None

    def remove(self):
        if not self.path:
            return
        for _ in range(20):
            try:
                os.rmdir(self.path)
                break
            except FileNotFoundError:
                break
            except OSError:  # processes still exiting
                time.sleep(0.1)
        self.path = None


class TreeRSSSampler(threading.Thread):
    """Every `interval` s, sum VmRSS over a process and all its descendants; keep the max.
    Incremental: each new pid's parent is read once; resident pages come from a kept-open
    /proc/PID/statm read with pread. The server process itself is read every sample; a
    descendant when it first appears and then every REFRESH samples (in.tftpd runs hundreds
    of near-identical children, and reading them all every 20 ms would cost the machine
    ~10% of a CPU); an exited descendant leaves the sum at once."""

    REFRESH = 10

    def __init__(self, root_pid, interval=0.02):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.peak = 0
        self._halt = threading.Event()
        self._known = set()        # every pid seen so far (descendant or not)
        self._tree = {root_pid}    # root and its descendants
        self._statm = {}           # pid -> open fd of /proc/pid/statm
        self._rss_cache = {}       # descendant pid -> last VmRSS read
        self._tick = 0

    @staticmethod
    def _read_ppid(pid):
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                data = f.read()
            return int(data[data.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            return None

    def _rss(self, pid):
        fd = self._statm.get(pid)
        try:
            if fd is None:
                fd = os.open("/proc/%d/statm" % pid, os.O_RDONLY)
                self._statm[pid] = fd
            return int(os.pread(fd, 128, 0).split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            self._close(pid)
            return 0

    def _close(self, pid):
        self._rss_cache.pop(pid, None)
        fd = self._statm.pop(pid, None)
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def sample(self):
        live = set(int(d) for d in os.listdir("/proc") if d.isdigit())
        for pid in self._known - live:      # exited
            self._known.discard(pid)
            if pid != self.root_pid:
                self._tree.discard(pid)
            self._close(pid)
        for pid in sorted(live - self._known):  # parents usually have lower pids
            self._known.add(pid)
            if self._read_ppid(pid) in self._tree:
                self._tree.add(pid)
        self._tick += 1
        total = 0
        for pid in self._tree:
            if pid not in live:
                continue
            if pid == self.root_pid:
                total += self._rss(pid)
                continue
            v = self._rss_cache.get(pid)
            if v is None or (pid + self._tick) % self.REFRESH == 0:
                v = self._rss(pid)
                if pid in self._statm:
                    self._rss_cache[pid] = v
            total += v
        self.peak = max(self.peak, total)

    def run(self):
        while not self._halt.is_set():
            try:
                self.sample()
            except Exception:  # a vanished process mid-walk: skip this sample
                pass
            self._halt.wait(self.interval)

    def finish(self):
        self._halt.set()
        self.join()
        try:
            self.sample()
        except Exception:
            pass
        for pid in list(self._statm):
            self._close(pid)
        return self.peak


class Server:
    def __init__(self, name, argv, port, log_path):
        self.name, self.argv, self.port, self.log_path = name, argv, port, log_path
        self.proc = None
        self.error = None
        self.cpu = CgroupCPU(name)

    def start(self):
        self.log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        except OSError as e:
            self.error = "cannot execute %s: %s" % (self.argv[0], e)
            self.cpu.remove()
            return False
        # Servers fork/spawn only when requests arrive, so moving the leader now catches all.
        self.cpu.add(self.proc.pid)
        return True

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines=15):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace").rstrip()
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.proc is None:
            return
        # Signal the whole process group: in.tftpd forks a child per transfer.
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
        # Leader gone or stuck: SIGKILL whatever is left in the group (forked children).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()
        self.cpu.remove()


def run_client(client, port, sc, expected, timeout_ms, probe=False, server_cpu=None):
    argv = [client, "-s", "127.0.0.1", "-p", str(port), "-f", sc.file, "-n", str(sc.n), "-c", str(sc.c),
            "-b", str(sc.blksize), "-w", str(sc.window), "-e", str(expected), "-t", str(timeout_ms)]
    if sc.tsize:
        argv.append("-T")
    if probe:
        argv += ["-r", "1"]
    busy0, self0 = machine_busy_seconds(), time.process_time()
    srv0 = server_cpu() if server_cpu else None
    drops0 = udp_rcvbuf_errors()
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    except subprocess.TimeoutExpired:
        return None, "load client timed out"
    srv1 = server_cpu() if server_cpu else None
    drops1 = udp_rcvbuf_errors()
    busy = machine_busy_seconds() - busy0
    harness = time.process_time() - self0
    out = p.stdout.decode().strip().splitlines()
    if not out:
        return None, "load client failed (rc %d): %s" % (p.returncode, p.stderr.decode().strip())
    try:
        r = json.loads(out[-1])
    except ValueError:
        return None, "bad client output: %r" % out[-1]
    if srv0 is not None and srv1 is not None:
        r["server_cpu_s"] = srv1 - srv0
    else:
        # Fallback: everything the machine did minus the client and this harness.
        r["server_cpu_s"] = max(0.0, busy - r.get("client_cpu_s", 0.0) - harness)
    r["udp_rcvbuf_drops"] = drops1 - drops0 if drops0 is not None and drops1 is not None else None
    r["stderr"] = p.stderr.decode().strip()
    return r, None


def wait_ready(server, client, sizes, timeout=20.0):
    probe = Scenario("probe", "probe", "undionly.kpxe", 1, 1, 0)
    deadline = time.time() + timeout
    last = ""
    while time.time() < deadline:
        if not server.alive():
            return "exited with code %s" % server.proc.returncode
        r, err = run_client(client, server.port, probe, sizes["undionly.kpxe"], 200, probe=True)
        if r and r["failed"] == 0 and r["transfers"] == 1:
            return None
        last = err or r.get("stderr", "")
        time.sleep(0.2)
    return "did not answer a TFTP read within %.0f s (%s)" % (timeout, last)


def fmt(v, nd=1):
    return "-" if v is None else ("%.*f" % (nd, v))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


# --- main -----------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--anvil-tftpd", help="Anvil tftpd binary (default .build/release/tftpd, else "
                    ".build-release/release/tftpd, else .build/debug/tftpd)")
    ap.add_argument("--in-tftpd", help="tftp-hpa server binary (default: in.tftpd on PATH)")
    ap.add_argument("--atftpd", help="atftpd binary (default: atftpd on PATH, else /opt/atftpd/usr/sbin/atftpd)")
    ap.add_argument("--servers", default=",".join(SERVER_ORDER),
                    help="comma-separated subset of %s" % ",".join(SERVER_ORDER))
    ap.add_argument("--only", help="comma-separated scenario keys (a-1468,a-512,b-1468,b-512,c,d-ws1,d-ws8,d-ws16)")
    ap.add_argument("--quick", action="store_true", help="smaller counts and a 4 MiB single-client file (smoke run)")
    ap.add_argument("--repeat", type=int, default=1, help="measured runs per scenario and server; median is reported")
    ap.add_argument("--timeout-ms", type=int, default=1000, help="client retransmit timeout (default 1000)")
    ap.add_argument("--json", help="also write all results to this file")
    args = ap.parse_args()

    wanted = [s.strip() for s in args.servers.split(",") if s.strip()]
    for s in wanted:
        if s not in SERVER_ORDER:
            ap.error("unknown server %r" % s)
    scs = scenarios(args.quick)
    if args.only:
        keys = set(k.strip() for k in args.only.split(","))
        scs = [s for s in scs if s.key in keys]
    repeat = max(1, args.repeat)

    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        print("error: no C compiler (cc) on PATH", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="anvil-tftp-bench-")
    servers = {}
    problems = []
    results = {}  # scenario key -> server -> result dict
    try:
        client = os.path.join(tmp, "tftp_load")
        subprocess.run([cc, "-O2", "-o", client, os.path.join(HERE, "tftp_load.c")], check=True)

        root = os.path.join(tmp, "root")
        os.mkdir(root)
        sizes = {}
        files = {"file-1m": MIB, ("file-4m" if args.quick else "file-32m"): (4 if args.quick else 32) * MIB}
        for name, size in files.items():
            with open(os.path.join(root, name), "wb") as f:
                left = size
                while left:
                    chunk = os.urandom(min(left, MIB))
                    f.write(chunk)
                    left -= len(chunk)
            sizes[name] = size
        if os.path.exists(UNDIONLY):
            shutil.copyfile(UNDIONLY, os.path.join(root, "undionly.kpxe"))
        else:
            print("note: %s missing (apt-get install ipxe); serving 74213 random bytes instead" % UNDIONLY)
            with open(os.path.join(root, "undionly.kpxe"), "wb") as f:
                f.write(os.urandom(74213))
        sizes["undionly.kpxe"] = os.path.getsize(os.path.join(root, "undionly.kpxe"))

        # binaries
        bins = {}
        if any(a in wanted for a in ANVILS):
            if args.anvil_tftpd:
                bins["anvil"] = args.anvil_tftpd
            else:
                # .build-release: a release build kept apart from the debug one (--scratch-path)
                candidates = [".build/release/tftpd", ".build-release/release/tftpd", ".build/debug/tftpd"]
                bins["anvil"] = next((os.path.join(REPO, c) for c in candidates
                                      if os.path.exists(os.path.join(REPO, c))), None)
            b = bins["anvil"]
            if b:
                try:
                    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(b)))
                except OSError:
                    built = "?"
                print("anvil tftpd: %s (built %s)" % (b, built))
                if os.path.sep + "debug" + os.path.sep in b:
                    print("  NOTE: debug build; its numbers are not representative "
                          "(swift build -c release --product tftpd)")
        if "tftp-hpa" in wanted:
            bins["tftp-hpa"] = find_binary(args.in_tftpd, ["in.tftpd"],
                                           ["/usr/local/sbin/in.tftpd", "/usr/sbin/in.tftpd",
                                            "/opt/tftpd-hpa/usr/sbin/in.tftpd"], "tftp-hpa")
        if "atftpd" in wanted:
            bins["atftpd"] = find_binary(args.atftpd, ["atftpd"], ["/usr/sbin/atftpd", "/opt/atftpd/usr/sbin/atftpd"],
                                         "atftp")
        if "anvil-1port" in wanted:
            bins["anvil-1port"] = bins.get("anvil") or args.anvil_tftpd
        for n in wanted:
            if n not in ANVILS:
                print("%s: %s" % (n, bins.get(n) or "NOT FOUND"))

        ports = free_udp_ports(len(wanted))
        builders = {"anvil": anvil_command, "anvil-1port": anvil_single_port_command, "tftp-hpa": tftp_hpa_command, "atftpd": atftpd_command}
        for name, port in zip(wanted, ports):
            b = bins.get(name)
            if not b:
                problems.append("%s: binary not found" % name)
                print("error: %s binary not found; skipping it" % name)
                continue
            srv = Server(name, builders[name](b, port, root, tmp), port, os.path.join(tmp, name + ".log"))
            if not srv.start():
                problems.append("%s: %s" % (name, srv.error))
                print("error: %s failed to start: %s" % (name, srv.error))
                continue
            servers[name] = srv
        for name in list(servers):
            srv = servers[name]
            err = wait_ready(srv, client, sizes)
            if err:
                problems.append("%s failed to start: %s" % (name, err))
                print("\nerror: %s failed to start: %s" % (name, err))
                print("  command: %s" % " ".join(srv.argv))
                tail = srv.log_tail()
                if tail:
                    print("  output:\n    " + tail.replace("\n", "\n    "))
                srv.stop()
                del servers[name]
            else:
                print("%s ready on 127.0.0.1:%d (pid %d)" % (name, srv.port, srv.proc.pid))
        if not servers:
            print("no server running; nothing to measure")
            return 1

        load = os.getloadavg()[0]
        if load > 0.5 * (os.cpu_count() or 1):
            print("\nWARNING: load average %.1f on %d CPUs before starting: other work is running, the figures "
                  "will be noisy" % (load, os.cpu_count() or 1))
        print("\nclient: %s; retransmit timeout %d ms; %d warm-up + %d measured run(s) per cell%s"
              % (os.path.basename(client), args.timeout_ms, 1, repeat, " (median)" if repeat > 1 else ""))
        print("peak RSS = max over the scenario (warm-up included) of the summed VmRSS of the server and its "
              "descendants, sampled every 20 ms")
        cg = [n for n, srv in servers.items() if srv.cpu.path]
        print("srv CPU = CPU seconds of the server's process tree%s; cli CPU = the load client's; "
              "resends = client timer-driven RRQ/ACK resends"
              % (" (own cgroup)" if len(cg) == len(servers) else
                 " (machine busy time minus client and harness where no cgroup: %s)"
                 % ",".join(n for n in servers if n not in cg)))
        print("anvil/peer ratios: MB/s above 1 and p99 below 1 favour anvil")

        for sc in scs:
            expected = sizes[sc.file]
            print("\n== %s: %s   (load avg %.2f)" % (sc.key, sc.title, os.getloadavg()[0]))
            hdr = "%-9s %8s %9s %9s %9s %6s %7s %8s %8s %8s  %s" % (
                "server", "MB/s", "p50 ms", "p99 ms", "max ms", "failed", "resends", "peak MiB", "srv CPU", "cli CPU",
                "note")
            print(hdr)
            print("-" * len(hdr))
            results[sc.key] = {}
            # Rounds interleave the servers (anvil, tftp-hpa, atftpd, anvil, ...) so that
            # drifting background load hits them alike; round 0 is the uncounted warm-up.
            order = [n for n in SERVER_ORDER if n in servers]
            runs = {n: [] for n in order}
            errs = {n: None for n in order}
            peaks = {n: 0 for n in order}
            for rnd in range(1 + repeat):
                for name in order:
                    srv = servers[name]
                    if errs[name]:
                        continue
                    if not srv.alive():
                        errs[name] = "server is not running (exit %s)" % srv.proc.returncode
                        continue
                    sampler = TreeRSSSampler(srv.proc.pid)
                    sampler.start()
                    r, err = run_client(client, srv.port, sc, expected, args.timeout_ms, server_cpu=srv.cpu.seconds)
                    peaks[name] = max(peaks[name], sampler.finish())
                    if err:
                        errs[name] = err
                    elif rnd > 0:
                        runs[name].append(r)
                    time.sleep(0.3)  # let a forking server's children exit between runs
            for name in order:
                srv = servers[name]
                peak = peaks[name]
                note = ""
                if name == "tftp-hpa" and sc.window > 1:
                    note = "no windowsize (lockstep)"
                if errs[name]:
                    problems.append("%s %s: %s" % (name, sc.key, errs[name]))
                    print("%-9s error: %s" % (name, errs[name]))
                    continue
                runs_n = runs[name]
                med = lambda k: statistics.median(r[k] for r in runs_n)
                res = {
                    "mb_per_s": med("mb_per_s"), "p50_ms": med("p50_ms"), "p99_ms": med("p99_ms"),
                    "max_ms": med("max_ms"), "failed": sum(r["failed"] for r in runs_n),
                    "transfers": sum(r["transfers"] for r in runs_n), "peak_rss_mib": peak / MIB,
                    "server_cpu_s": med("server_cpu_s"), "client_cpu_s": med("client_cpu_s"),
                    "retransmits": sum(r.get("retransmits", 0) for r in runs_n),
                    "udp_rcvbuf_drops": sum(r.get("udp_rcvbuf_drops") or 0 for r in runs_n),
                    "client_drops": sum(r.get("client_drops", 0) for r in runs_n),
                    "wall_s": med("wall_s"), "runs": [{k: v for k, v in r.items() if k != "stderr"} for r in runs_n],
                }
                results[sc.key][name] = res
                if res["client_drops"]:
                    note = (note + "; " if note else "") + "CLIENT dropped %d datagrams (receive buffer full)" % (
                        res["client_drops"])
                other_drops = res["udp_rcvbuf_drops"] - res["client_drops"]
                if other_drops > 0:
                    msg = "%d UDP receive-buffer drops outside the client (server or other processes)" % other_drops
                    note = (note + "; " if note else "") + msg
                if res["failed"]:
                    problems.append("%s %s: %d of %d transfers failed" % (name, sc.key, res["failed"],
                                                                          res["transfers"]))
                    first_err = next((r["stderr"] for r in runs_n if r["stderr"]), "")
                    if first_err:
                        note = (note + "; " if note else "") + first_err.splitlines()[0]
                print("%-9s %8s %9s %9s %9s %6d %7d %8s %8s %8s  %s" % (
                    name, fmt(res["mb_per_s"]), fmt(res["p50_ms"]), fmt(res["p99_ms"]), fmt(res["max_ms"]),
                    res["failed"], res["retransmits"], fmt(res["peak_rss_mib"]), fmt(res["server_cpu_s"], 2),
                    fmt(res["client_cpu_s"], 2), note))
                if res["failed"]:
                    tail = srv.log_tail(8)
                    if tail:
                        indent = "\n            "
                        print("          %s log (last lines):%s%s" % (name, indent, tail.replace("\n", indent)))
            for anvil in ANVILS:
                a = results[sc.key].get(anvil)
                if not a:
                    continue
                peers = {p: results[sc.key][p] for p in PEERS if p in results[sc.key]}
                for p, r in peers.items():
                    print("  %-11s / %-8s  MB/s x%s   p99 x%s" % (
                        anvil, p, fmt(ratio(a["mb_per_s"], r["mb_per_s"]), 2), fmt(ratio(a["p99_ms"], r["p99_ms"]), 2)))
                if peers:
                    best_mb = max(peers.values(), key=lambda r: r["mb_per_s"])
                    best_p99 = min(peers.values(), key=lambda r: r["p99_ms"])
                    print("  %-11s / best peer MB/s x%s   p99 x%s (vs lowest peer p99)" % (
                        anvil, fmt(ratio(a["mb_per_s"], best_mb["mb_per_s"]), 2),
                        fmt(ratio(a["p99_ms"], best_p99["p99_ms"]), 2)))

        ws1 = results.get("d-ws1", {}).get("anvil")
        ws16 = results.get("d-ws16", {}).get("anvil")
        if ws1 and ws16:
            print("\nanvil windowsize 16 / windowsize 1 (single client): x%s" % fmt(ratio(ws16["mb_per_s"],
                                                                                    ws1["mb_per_s"]), 2))

        # goals
        print("\n== goals")
        if not any(k in results for k in ("b-1468", "b-512", "d-ws16")):
            print("(the goal scenarios b-1468, b-512 and d-ws16 were not run)")

        def best_peers(key):
            peers = [results.get(key, {}).get(p) for p in PEERS]
            peers = [r for r in peers if r]
            if not peers:
                return None, None
            return max(r["mb_per_s"] for r in peers), min(r["p99_ms"] for r in peers)

        for key in ("b-1468", "b-512"):
            if key not in results:
                continue
            sc = next(s for s in scs if s.key == key)
            for anvil in ANVILS:
                a = results[key].get(anvil)
                best_mb, best_p99 = best_peers(key)
                if not a or best_mb is None:
                    continue
                print("%d clients (blksize %d): %s/best-peer MB/s = %.2f (goal >= 1.5), p99 %s <= best-peer "
                      "p99: %s (%.0f vs %.0f ms)" % (sc.c, sc.blksize, anvil, a["mb_per_s"] / best_mb, anvil,
                                                     "yes" if a["p99_ms"] <= best_p99 else "no", a["p99_ms"], best_p99))
        if "d-ws16" in results:
            best_mb, _ = best_peers("d-ws16")
            if ws16 and best_mb is not None:
                line = "windowsize 16 single client: anvil >= best peer: %s (%.1f vs %.1f MB/s)" % (
                    "yes" if ws16["mb_per_s"] >= best_mb else "no", ws16["mb_per_s"], best_mb)
                if ws1:
                    line += "; anvil ws16/ws1 = %.2f (goal >= 4)" % (ws16["mb_per_s"] / ws1["mb_per_s"])
                print(line)
            else:
                print("windowsize 16 single client: n/a (%s)" % ("anvil not measured" if not ws16
                                                                 else "no peer measured"))

        if args.json:
            with open(args.json, "w") as f:
                json.dump({"quick": args.quick, "repeat": repeat, "sizes": sizes,
                           "servers": {n: s.argv for n, s in servers.items()}, "results": results,
                           "problems": problems}, f, indent=2)
    finally:
        for srv in servers.values():
            srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    if problems:
        print("\nproblems:")
        for p in problems:
            print("  - " + p)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
