#!/usr/bin/env python3
"""Boot HTTP benchmark: Anvil bootd and metadatad against nginx, same machine, same run, same load tool (wrk).

    swift build -c release --scratch-path .build-release --product bootd
    swift build -c release --scratch-path .build-release --product metadatad
    swift build -c release --scratch-path .build-release --product anvil-bench
    python3 Benchmarks/boot/run.py [--bin .build-release/release] [--duration 10] [--connections 64]

Seeds a state directory (anvil-bench seed-boot: 10 000 Servers, one bound with a ServerClass,
an Environment, a MetalMachine, its bootstrap Secret and three config patches), starts bootd and
metadatad on loopback, and nginx serving static copies of the same response bodies. wrk drives:
  ipxe       GET /ipxe for the bound server (its environment script)  vs nginx, same-size file
  configdata GET /configdata, tokens off (3 patches + node label)  vs nginx, same-size file
  asset      GET /env/<env>/vmlinuz, 16 MiB, sendfile                 vs nginx sendfile
and prints req/s, MB/s, p50/p99 latency and Anvil's ratio to nginx against the issue's goals.
Needs wrk and nginx (Debian: apt-get install wrk nginx-light). Python 3 stdlib only.
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except Exception:
            time.sleep(0.2)
    raise RuntimeError("no answer from %s" % url)


def wrk(url, duration, connections, threads):
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency", url],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", out)
    scale = {"B": 1e-6, "KB": 1024 / 1e6, "MB": 1024 ** 2 / 1e6, "GB": 1024 ** 3 / 1e6}[transfer.group(2)]
    mbps = float(transfer.group(1)) * scale

    def pct(p):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "mbps": mbps, "p50_ms": pct(50), "p99_ms": pct(99),
            "non2xx": int(errors.group(1)) if errors else 0, "socket_errors": socket_errors.group(1) if socket_errors else ""}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, ".build-release", "release"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--servers", type=int, default=10000)
    ap.add_argument("--only", default="ipxe,configdata,asset")
    args = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            sys.exit("%s is not installed (apt-get install wrk nginx-light)" % tool)
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"

    tmp = tempfile.mkdtemp(prefix="anvil-boot-bench-")
    procs = []
    try:
        state = os.path.join(tmp, "state")
        t0 = time.time()
        seed = json.loads(subprocess.run([os.path.join(args.bin, "anvil-bench"), "seed-boot", "--state", state,
                                          "--servers", str(args.servers)],
                                         stdout=subprocess.PIPE, check=True, text=True).stdout.strip().splitlines()[-1])
        print("seeded %d Servers in %.1f s; bound server %s" % (args.servers, time.time() - t0, seed["uuid"]))
        boot_port, meta_port, nginx_port = free_port(), free_port(), free_port()
        common = ["--local", "--state", state, "--log-level", "warning"]
        # Every /ipxe request serves the environment (not "installed → disk" after the first).
        procs.append(subprocess.Popen([os.path.join(args.bin, "bootd"), "--http-port", str(boot_port),
                                       "--api-port", str(boot_port), "--metadata-port", str(meta_port),
                                       "--ipxe-dir", os.path.join(tmp, "no-ipxe"),
                                       "--mark-pxebooted", "on-install-report"] + common,
                                      stdout=open(os.path.join(tmp, "bootd.log"), "w"), stderr=subprocess.STDOUT))
        # Tokens off for metadatad: a boot-attempt token fetches the config only once (docs/security.md).
        procs.append(subprocess.Popen([os.path.join(args.bin, "metadatad"), "--http-port", str(meta_port),
                                       "--machine-tokens", "false"] + common,
                                      stdout=open(os.path.join(tmp, "metadatad.log"), "w"), stderr=subprocess.STDOUT))
        ipxe_url = "http://127.0.0.1:%d/ipxe?uuid=%s&mac=52-54-00-12-34-56&arch=x86_64" % (boot_port, seed["uuid"])
        config_url = "http://127.0.0.1:%d/configdata?uuid=%s" % (meta_port, seed["uuid"])
        asset_url = "http://127.0.0.1:%d/env/%s/vmlinuz" % (boot_port, seed["environment"])
        ipxe_body = wait_http(ipxe_url)
        config_body = wait_http(config_url)
        if not ipxe_body.startswith(b"#!ipxe\nkernel /env/"):
            sys.exit("unexpected /ipxe answer: %r" % ipxe_body[:200])

        # nginx: the same bodies as static files, sendfile for the asset.
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        open(os.path.join(www, "ipxe"), "wb").write(ipxe_body)
        open(os.path.join(www, "configdata"), "wb").write(config_body)
        shutil.copyfile(os.path.join(state, "env", seed["environment"], "vmlinuz"), os.path.join(www, "vmlinuz"))
        conf = os.path.join(tmp, "nginx.conf")
        open(conf, "w").write("""
%(user)sworker_processes auto;
daemon off;
pid %(tmp)s/nginx.pid;
error_log %(tmp)s/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path %(tmp)s/body; proxy_temp_path %(tmp)s/proxy; fastcgi_temp_path %(tmp)s/fcgi;
    uwsgi_temp_path %(tmp)s/uwsgi; scgi_temp_path %(tmp)s/scgi;
    server { listen 127.0.0.1:%(port)d; root %(www)s; default_type application/octet-stream; }
}
""" % {"tmp": tmp, "port": nginx_port, "www": www,
       # As root, nginx's workers would switch to "nobody", who cannot read the private temp dir.
       "user": "user root;\n" if os.geteuid() == 0 else ""})
        procs.append(subprocess.Popen([nginx_bin, "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        try:
            wait_http("http://127.0.0.1:%d/ipxe" % nginx_port, timeout=20)
        except RuntimeError:
            sys.exit("nginx did not start: %s" % open(os.path.join(tmp, "nginx-error.log")).read()[-2000:])

        cases = {
            "ipxe": (ipxe_url, "http://127.0.0.1:%d/ipxe" % nginx_port),
            "configdata": (config_url, "http://127.0.0.1:%d/configdata" % nginx_port),
            "asset": (asset_url, "http://127.0.0.1:%d/vmlinuz" % nginx_port),
        }
        print("wrk -t%d -c%d -d%ds --latency; bodies: /ipxe %d B, /configdata %d B, asset %d MiB; load avg %.2f"
              % (args.threads, args.connections, args.duration, len(ipxe_body), len(config_body),
                 os.path.getsize(os.path.join(www, "vmlinuz")) >> 20, os.getloadavg()[0]))
        results = {}
        for name in args.only.split(","):
            anvil_url, nginx_url = cases[name]
            connections = min(args.connections, 16) if name == "asset" else args.connections
            wrk(anvil_url, 2, connections, args.threads)  # warm-up
            anvil = wrk(anvil_url, args.duration, connections, args.threads)
            nginx = wrk(nginx_url, args.duration, connections, args.threads)
            results[name] = {"anvil": anvil, "nginx": nginx}
            print("\n== %s (%d connections)" % (name, connections))
            print("%-8s %12s %10s %9s %9s %8s" % ("server", "req/s", "MB/s", "p50 ms", "p99 ms", "non-2xx"))
            for label, r in (("anvil", anvil), ("nginx", nginx)):
                print("%-8s %12.0f %10.1f %9.2f %9.2f %8d %s" % (label, r["rps"], r["mbps"], r["p50_ms"], r["p99_ms"],
                                                               r["non2xx"], r["socket_errors"]))
            print("anvil/nginx: req/s x%.2f, MB/s x%.2f, p99 x%.2f" % (anvil["rps"] / nginx["rps"], anvil["mbps"] / nginx["mbps"],
                                                                  anvil["p99_ms"] / nginx["p99_ms"]))
        print("\n== goals")
        if "ipxe" in results:
            r = results["ipxe"]
            print("/ipxe: anvil/nginx req/s = %.2f (goal >= 0.50), p99 %.2f ms (goal < 5 ms)"
                  % (r["anvil"]["rps"] / r["nginx"]["rps"], r["anvil"]["p99_ms"]))
        if "configdata" in results:
            print("/configdata: %.0f req/s (goal >= 20000)" % results["configdata"]["anvil"]["rps"])
        if "asset" in results:
            r = results["asset"]
            print("assets: anvil/nginx MB/s = %.2f (goal >= 0.80)" % (r["anvil"]["mbps"] / r["nginx"]["mbps"]))
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
