import AnvilJSON
import AnvilResources
import Foundation
import Testing

@testable import AnvilStore

@Suite struct ListScaleTests {
    /// A Server as discovery writes it: a realistic, few-kilobyte body.
    static func discovered(_ index: Int) -> Resource {
        let name = String(format: "4c4c4544-0000-1000-8000-%012d", index)
        let nics: [JSONValue] = (0..<4).map { .object(["name": .string("eth\($0)"), "mac": .string("52:54:00:00:\(String(format: "%02x", index % 256)):0\($0)")]) }
        let disks: [JSONValue] = (0..<4).map { .object(["deviceName": .string("/dev/sd\($0)"), "size": .int(960_197_124_096), "model": "SAMSUNG MZ7L3960"]) }
        return Resource(
            apiVersion: "metal.sidero.dev/v1alpha2", kind: "Server",
            metadata: ObjectMeta(name: name, labels: ["rack": "r\(index % 10)", "zone": "z\(index % 3)"]),
            body: [
                "spec": [
                    "accepted": .bool(index % 2 == 0), "hostname": .string("node-\(index)"),
                    "hardware": [
                        "system": ["manufacturer": "Dell Inc.", "productName": "PowerEdge R650", "serialNumber": .string("SN\(index)")],
                        "compute": ["processors": [["manufacturer": "Intel", "productName": "Xeon Gold 6338", "coreCount": 32, "threadCount": 64]]],
                        "storage": ["devices": .array(disks)],
                        "network": ["interfaces": .array(nics)],
                    ],
                ],
                "status": ["ready": true, "power": "on", "addresses": [["type": "InternalIP", "address": .string("10.0.\(index / 256).\(index % 256)")]]],
            ])
    }

    @Test func listsTenThousandServersQuickly() async throws {
        try await withStore { store, _ in
            let backend = try #require(store.backend as? SQLiteBackend)
            let (codec, changeLog) = (store.codec, backend.changeLog)
            // Seed in one transaction through the same row code the public API uses.
            try await backend.write { db in
                for index in 0..<10_000 {
                    var server = Self.discovered(index)
                    let revision = try changeLog.record(db, kind: "Server", namespace: "", name: server.name, verb: .created)
                    server.metadata.uid = UUID().uuidString
                    server.metadata.resourceVersion = String(revision)
                    server.metadata.generation = 1
                    try ResourceTable.insert(db, codec.encode(server, revision: revision), revision: revision)
                }
            }
            let clock = ContinuousClock()
            let start = clock.now
            let all = try await store.list(kind: "Server")
            let listTime = clock.now - start
            #expect(all.count == 10_000)
            #expect(all.first?.spec?["hardware"]?["storage"]?["devices"]?.arrayValue?.count == 4)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.name < $1.name })

            let selectStart = clock.now
            let rack3 = try await store.list(kind: "Server", selector: LabelSelector(matchLabels: ["rack": "r3"]))
            let selectTime = clock.now - selectStart
            #expect(rack3.count == 1000)
            // Generous bounds for an unoptimised debug build on a busy 2-core machine.
            #expect(listTime < .seconds(15), "list of 10 000 took \(listTime)")
            #expect(selectTime < .seconds(10), "selector list took \(selectTime)")
            print("list 10 000 servers: \(listTime); with selector: \(selectTime)")
        }
    }
}
