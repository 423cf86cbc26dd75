import Foundation

/// pgbench on the store's PostgreSQL server: `-i -s SCALE` into a database of its own
/// (`anvil_bench_pgbench_<pid>`, dropped at the end), then `-N` (simple update: one UPDATE, one
/// SELECT, one INSERT per transaction) with 1 and with 4 clients.
struct PgBench {
    struct Result {
        var single: Double
        var multi: Double
    }

    let tool: PostgresTool
    let scale: Int
    let seconds: Int

    init(url: String, scale: Int, seconds: Int) throws {
        tool = try PostgresTool(url: url)
        self.scale = scale
        self.seconds = seconds
    }

    func run() throws -> Result {
        let database = "anvil_bench_pgbench_\(getpid())"
        try tool.psql("CREATE DATABASE \(database)")
        defer {
            do { try tool.psql("DROP DATABASE IF EXISTS \(database)") } catch { print("pgbench: \(error)") }
        }
        _ = try tool.run("pgbench", ["-i", "-q", "-s", "\(scale)"], database: database)
        let single = try tps(clients: 1, database: database)
        let multi = try tps(clients: 4, database: database)
        return Result(single: single, multi: multi)
    }

    private func tps(clients: Int, database: String) throws -> Double {
        let output = try tool.run("pgbench", ["-N", "-c", "\(clients)", "-j", "\(clients)", "-T", "\(seconds)"], database: database)
        // "tps = 1234.5 (without initial connection time)"
        let value = try StoreFigures.number(in: output, line: "tps = ", before: " (without")
        print("pgbench -N -c \(clients) -j \(clients) -T \(seconds): \(fixed(value, 1)) tps")
        return value
    }
}
