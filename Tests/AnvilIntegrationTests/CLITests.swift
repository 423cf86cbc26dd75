import Foundation
import Testing

/// The `anvil` binary as an operator uses it.
@Suite struct CLITests {
    @Test func acceptTakesSeveralServersOrAll() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let unaccepted = CLIManifests.servers.replacingOccurrences(of: "accepted: true", with: "accepted: false")
        _ = try await anvil.ok("apply", "-f", "-", stdin: unaccepted)

        let neither = try await anvil.run("accept")
        #expect(neither.status != 0 && neither.stderr.contains("name at least one server UUID, or give --all"))
        let both = try await anvil.run("accept", "--all", CLIManifests.uuid1)
        #expect(both.status != 0 && both.stderr.contains("not both"))

        // A missing one is reported; the others are still accepted; the exit status says so.
        let some = try await anvil.run("accept", CLIManifests.uuid1, "00000000-0000-0000-0000-000000000000")
        #expect(some.status == 1)
        #expect(some.stdout.contains("server/\(CLIManifests.uuid1) accepted"))
        #expect(some.stderr.contains("servers \"00000000-0000-0000-0000-000000000000\" not found"))

        let all = try await anvil.ok("accept", "--all")
        #expect(!all.contains(CLIManifests.uuid1))
        #expect(all.contains("server/\(CLIManifests.uuid2) accepted"))
        #expect(try await anvil.ok("accept", "--all") == "no servers are waiting for acceptance\n")
        #expect(try await anvil.ok("cordon", CLIManifests.uuid1, CLIManifests.uuid2).split(separator: "\n").count == 2)
    }

    @Test func applyGetDescribeDelete() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let file = try state.file("servers.yaml", contents: CLIManifests.servers)

        let created = try await anvil.ok("apply", "-f", file)
        #expect(created.contains("server/\(CLIManifests.uuid1) created"))
        #expect(created.contains("server/\(CLIManifests.uuid2) created"))
        #expect(created.contains("serverclass/workers created"))
        #expect(created.contains("environment/talos created"))
        #expect(created.contains("secret/node-2-bmc created"))

        let again = try await anvil.ok("apply", "-f", file)
        #expect(again.contains("server/\(CLIManifests.uuid1) unchanged"))
        #expect(again.contains("environment/talos unchanged"))

        let changed = try await anvil.ok(
            "apply", "-f", "-", stdin: CLIManifests.servers.replacingOccurrences(of: "hostname: node-1", with: "hostname: node-1b"))
        #expect(changed.contains("server/\(CLIManifests.uuid1) configured"))
        #expect(changed.contains("server/\(CLIManifests.uuid2) unchanged"))

        let table = try await anvil.ok("get", "servers")
        let header = try #require(table.split(separator: "\n").first)
        for column in ["NAME", "HOSTNAME", "BMC IP", "ACCEPTED", "CORDONED", "ALLOCATED", "CLEAN", "POWER", "AGE"] {
            #expect(header.contains(column))
        }
        #expect(table.contains("node-1b"))
        #expect(table.contains("10.0.0.22"))

        // v1alpha1 input is stored and shown as v1alpha2 with hardware.
        let yaml = try await anvil.ok("get", "srv", CLIManifests.uuid1, "-o", "yaml")
        #expect(yaml.contains("apiVersion: metal.sidero.dev/v1alpha2"))
        #expect(yaml.contains("hardware:"))
        let json = try await anvil.ok("get", "server", CLIManifests.uuid1, "-o", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((object?["metadata"] as? [String: Any])?["resourceVersion"] != nil)

        let names = try await anvil.ok("get", "srv", "-l", "rack=r1", "-o", "name")
        #expect(names.trimmingCharacters(in: .whitespacesAndNewlines) == "server/\(CLIManifests.uuid1)")
        let notR1 = try await anvil.ok("get", "servers", "-l", "rack notin (r1)", "-o", "name")
        #expect(notR1.trimmingCharacters(in: .whitespacesAndNewlines) == "server/\(CLIManifests.uuid2)")

        #expect(try await anvil.ok("get", "sc").contains("workers"))
        #expect(try await anvil.ok("get", "env", "-o", "wide").contains("talos.platform=metal"))

        #expect(try await anvil.ok("accept", CLIManifests.uuid1).contains("accepted"))
        #expect(try await anvil.ok("cordon", CLIManifests.uuid1).contains("cordoned"))
        let cordoned = try await anvil.ok("get", "server", CLIManifests.uuid1, "-o", "json")
        #expect(cordoned.contains("\"cordoned\" : true") || cordoned.contains("\"cordoned\": true") || cordoned.contains("\"cordoned\":true"))
        #expect(try await anvil.ok("uncordon", CLIManifests.uuid1).contains("uncordoned"))

        let describe = try await anvil.ok("describe", "server", CLIManifests.uuid1)
        #expect(describe.contains("Events:"))
        #expect(describe.contains("Accepted"))
        let events = try await anvil.ok("events")
        #expect(events.contains("Cordoned"))
        #expect(events.contains("server/\(CLIManifests.uuid1)"))
        #expect(describe.contains(CLIManifests.uuid1))

        #expect(try await anvil.ok("delete", "sc", "workers").contains("serverclass/workers deleted"))
        let missing = try await anvil.run("get", "sc", "workers")
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: serverclasses \"workers\" not found\n")
    }

    @Test func secretValuesAreNeverPrinted() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        _ = try await anvil.ok("apply", "-f", try state.file("s.yaml", contents: CLIManifests.servers))
        let base64 = Data("correct-horse-battery".utf8).base64EncodedString()
        for format in ["yaml", "json", "wide"] {
            let out = try await anvil.ok("get", "secret", "node-2-bmc", "-o", format)
            #expect(!out.contains("correct-horse-battery"))
            #expect(!out.contains(base64))
        }
        let table = try await anvil.ok("get", "secrets")
        #expect(table.contains("node-2-bmc"))
        #expect(!table.contains(base64))
        let describe = try await anvil.ok("describe", "secret", "node-2-bmc")
        #expect(!describe.contains(base64))
        // Nor is it readable in the database file.
        let database = try Data(contentsOf: state.url.appendingPathComponent("anvil.db"))
        #expect(database.range(of: Data("correct-horse-battery".utf8)) == nil)
        #expect(database.range(of: Data(base64.utf8)) == nil)
    }

    @Test func invalidManifestChangesNothing() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let result = try await anvil.run("apply", "-f", try state.file("bad.yaml", contents: CLIManifests.badBootMethod))
        #expect(result.status == 1)
        #expect(result.stderr.contains("spec.bootFromDiskMethod: \"explode\" is not one of ipxe-exit, http-404, ipxe-sanboot"))
        #expect(result.stderr.contains("document 2"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        // The valid first document was not written either.
        let list = try await anvil.run("get", "servers", "-o", "name")
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func unknownKindsFailOrAreSkipped() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let file = try state.file("cluster.yaml", contents: CLIManifests.withUnknownKind)
        let refused = try await anvil.run("apply", "-f", file)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("TalosControlPlane"))
        let skipped = try await anvil.ok("apply", "-f", file, "--skip-unknown")
        #expect(skipped.contains("taloscontrolplane/cp skipped"))
        #expect(skipped.contains("metalcluster/management created"))
        #expect(try await anvil.ok("get", "mc").contains("10.0.0.5:6443"))
    }

    @Test func clearErrorsForBadInput() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        let noFile = try await anvil.run("apply", "-f", "/nonexistent/file.yaml")
        #expect(noFile.status == 1)
        #expect(noFile.stderr == "error: the path \"/nonexistent/file.yaml\" does not exist\n")

        let garbage = try await anvil.run("apply", "-f", try state.file("g.yaml", contents: "kind: [unclosed\n  - : :"))
        #expect(garbage.status == 1)
        #expect(garbage.stderr.hasPrefix("error: "))
        #expect(garbage.stderr.split(separator: "\n").count == 1)

        let unknownType = try await anvil.run("get", "widgets")
        #expect(unknownType.status == 1)
        #expect(unknownType.stderr.contains("doesn't have a resource type \"widgets\""))

        let badSelector = try await anvil.run("get", "servers", "-l", "a in (")
        #expect(badSelector.status == 1)
        #expect(badSelector.stderr.hasPrefix("error: -l a in ("))

        let acceptMissing = try await anvil.run("accept", CLIManifests.uuid1)
        #expect(acceptMissing.status == 1)
        #expect(acceptMissing.stderr == "error: servers \"\(CLIManifests.uuid1)\" not found\n")

        let deleteMissing = try await anvil.run("delete", "server", CLIManifests.uuid1)
        #expect(deleteMissing.status == 1)

        let noLogs = try await anvil.run("logs", "nosuchd")
        #expect(noLogs.status == 1)

        #expect(try await anvil.ok("version").hasPrefix("anvil "))
    }

    @Test func getWatchPrintsChanges() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        _ = try await anvil.ok("apply", "-f", try state.file("s.yaml", contents: CLIManifests.servers))
        let watch = try ChildProcess(
            BuiltProducts.url("anvil"), ["get", "servers", "-w"], environment: ["ANVIL_STATE": state.path])
        try await watch.waitForOutput("node-2")
        _ = try await anvil.ok("cordon", CLIManifests.uuid2)
        // A row for the changed server follows the first listing.
        let deadline = ContinuousClock.now + .seconds(20)
        while watch.stdout.components(separatedBy: CLIManifests.uuid2).count < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(watch.stdout.components(separatedBy: CLIManifests.uuid2).count >= 3)
        watch.signal(SIGTERM)
        _ = try await watch.wait()
    }
}
