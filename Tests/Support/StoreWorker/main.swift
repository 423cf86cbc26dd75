// anvil-store-worker: a separate OS process for the multi-process store tests.
//
//   anvil-store-worker <state-dir> <object-name> <count>
//       opens the store (racing other processes on a fresh directory), creates ConfigMap-like
//       object <object-name> if missing, then performs <count> read-modify-CAS increments of
//       spec.counter, re-reading and retrying on conflict.
//   anvil-store-worker <state-dir> <object-name> 0 --secret
//       opens the store and creates Secret default/<object-name>, so the test can prove every
//       racing process sealed with the same secrets.key.
//
// Exits 0 on success; any error is printed to stderr and exits 1.
import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: anvil-store-worker <state-dir> <object-name> <count> [--secret]\n".utf8))
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[1])
let name = arguments[2]
let secretMode = arguments.dropFirst(4).contains("--secret")

do {
    let store = try await Store.open(stateDirectory: directory)
    if secretMode {
        let secret = Resource(
            apiVersion: "v1", kind: "Secret", metadata: ObjectMeta(name: name, namespace: "default"),
            body: ["stringData": ["value": .string("sealed-by-\(name)")]])
        _ = try await store.create(secret)
        exit(0)
    }
    let counter = Resource(
        apiVersion: "anvil.test/v1", kind: "Counter", metadata: ObjectMeta(name: name),
        body: ["spec": ["counter": 0]])
    do {
        _ = try await store.create(counter)
    } catch StoreError.alreadyExists {
        // Another worker created it first.
    }
    var conflicts = 0
    for _ in 0..<count {
        while true {
            var current = try await store.get(kind: "Counter", name: name)
            let value = current.spec?["counter"]?.intValue ?? 0
            current.spec?["counter"] = .int(value + 1)
            do {
                _ = try await store.update(current)
                break
            } catch StoreError.conflict {
                conflicts += 1
            }
        }
    }
    print("ok conflicts=\(conflicts)")
    exit(0)
} catch {
    FileHandle.standardError.write(Data("anvil-store-worker: \(error)\n".utf8))
    exit(1)
}
