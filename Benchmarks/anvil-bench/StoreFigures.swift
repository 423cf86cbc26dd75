import Foundation

/// The figures `store-compare` takes from one back-end's `store`, `list` and `allocation` output.
struct StoreFigures {
    var casSingle = 0.0
    var casMulti = 0.0
    var creates = 0.0
    var listSeconds = 0.0
    var allocationSeconds = 0.0

    init() {}

    init(store: String, list: String, allocation: String) throws {
        casSingle = try Self.number(in: store, line: "store CAS, 1 process", before: " updates/s")
        casMulti = try Self.number(in: store, line: "store CAS, 4 processes", before: " updates/s")
        creates = try Self.number(in: store, line: "store create, 1 process", before: " creates/s")
        listSeconds = try Self.number(in: list, line: "store list,", before: " ms;") / 1000
        allocationSeconds = try Self.number(in: allocation, line: "allocation,", before: " s = ")
    }

    /// The word just before `marker` on the first line starting with `line`.
    static func number(in output: String, line prefix: String, before marker: String) throws -> Double {
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              let end = line.range(of: marker),
              let word = line[..<end.lowerBound].split(separator: " ").last,
              let value = Double(word)
        else { throw BenchFailure("no figure \"…\(marker)\" on a line \"\(prefix)…\"") }
        return value
    }

    /// The comparison: each figure on both back-ends and PostgreSQL/SQLite, then Anvil's CAS on
    /// PostgreSQL against pgbench's tps with as many clients.
    static func table(sqlite: StoreFigures, postgres: StoreFigures, pgbench: PgBench.Result, servers: Int, machines: Int) -> String {
        func row(_ name: String, _ a: Double, _ b: Double, _ digits: Int) -> String {
            let ratio = a > 0 ? format(b / a, 2) : "-"
            return pad(name, 40) + pad(format(a, digits), 12, right: true) + pad(format(b, digits), 14, right: true)
                + pad(ratio, 13, right: true)
        }
        func versus(_ name: String, _ anvil: Double, _ tps: Double) -> String {
            pad(name, 40) + pad(format(anvil, 0), 12, right: true) + pad(format(tps, 0), 14, right: true)
                + pad(tps > 0 ? "\(format(100 * anvil / tps, 1)) %" : "-", 13, right: true)
        }
        return [
            "",
            pad("", 40) + pad("SQLite", 12, right: true) + pad("PostgreSQL", 14, right: true) + pad("PG/SQLite", 13, right: true),
            row("CAS updates/s, 1 process", sqlite.casSingle, postgres.casSingle, 0),
            row("CAS updates/s, 4 processes", sqlite.casMulti, postgres.casMulti, 0),
            row("creates/s, 1 process", sqlite.creates, postgres.creates, 0),
            row("list \(servers) Servers (s)", sqlite.listSeconds, postgres.listSeconds, 3),
            row("allocation \(machines) of \(servers) (s)", sqlite.allocationSeconds, postgres.allocationSeconds, 3),
            "",
            pad("", 40) + pad("Anvil PG", 12, right: true) + pad("pgbench tps", 14, right: true) + pad("Anvil/pgb", 13, right: true),
            versus("CAS/s vs pgbench -N, 1 client", postgres.casSingle, pgbench.single),
            versus("CAS/s vs pgbench -N, 4 clients", postgres.casMulti, pgbench.multi),
        ].joined(separator: "\n")
    }

    private static func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
