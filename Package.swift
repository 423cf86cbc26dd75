// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Anvil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "anvil", targets: ["anvil"]),
        .executable(name: "tftpd", targets: ["tftpd"]),
        .executable(name: "bootd", targets: ["bootd"]),
        .executable(name: "metadatad", targets: ["metadatad"]),
        .executable(name: "bmcd", targets: ["bmcd"]),
        .executable(name: "reconciler", targets: ["reconciler"]),
        .executable(name: "anvil-bench", targets: ["anvil-bench"]),
        .executable(name: "anvil-agent", targets: ["anvil-agent"]),
        .executable(name: "anvil-sim", targets: ["anvil-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Shared libraries
        .target(name: "AnvilJSON", path: "Shared/JSON"),
        .target(
            name: "AnvilResources",
            dependencies: ["AnvilJSON", .product(name: "Yams", package: "Yams")],
            path: "Shared/Resources"
        ),
        // TFTP packets, options and the per-transfer state machine: pure, no I/O (RFC 1350/2347/2348/2349/7440).
        .target(name: "AnvilTFTP", path: "Shared/TFTP"),
        // posix_spawn without Foundation's Process (its /proc/self/fd scan crashes now and then).
        .target(name: "AnvilSpawnShim", path: "Shared/SpawnShim"),
        .target(name: "AnvilSpawn", dependencies: ["AnvilSpawnShim"], path: "Shared/Spawn"),
        // The boot file root shared by tftpd and bootd's /tftp/: path checks, opening, small files in memory.
        .target(name: "AnvilBootFiles", path: "Shared/BootFiles"),
        // HTTP/1.1 on SwiftNIO with SO_REUSEPORT and sendfile bodies (bootd replicas share a port).
        .target(
            name: "AnvilHTTPServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/HTTPServer"
        ),
        // Boot decisions, iPXE scripts, kernel arguments and machine tokens: pure apart from the key file.
        .target(
            name: "AnvilBoot",
            dependencies: ["AnvilResources", .product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/Boot"
        ),
        // /configdata: the bound machine's config with class then server patches and the node label.
        .target(
            name: "AnvilConfigData",
            dependencies: ["AnvilJSON", "AnvilJSONPatch", "AnvilResources"],
            path: "Shared/ConfigData"
        ),
        // RFC 6902 JSON Patch and RFC 6901 JSON Pointer over JSONValue: pure.
        .target(name: "AnvilJSONPatch", dependencies: ["AnvilJSON"], path: "Shared/JSONPatch"),
        // IPMI v2.0 / RMCP+ messages, keys, integrity and confidentiality: pure, no I/O.
        .target(
            name: "AnvilIPMI",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Shared/IPMI"
        ),
        // The power back-end contract plus the Redfish and management-API back-ends.
        .target(
            name: "AnvilPower",
            dependencies: [
                "AnvilJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Shared/Power"
        ),
        // The IPMI back-end: RMCP+ sessions over SwiftNIO UDP, one command in flight per BMC.
        .target(
            name: "AnvilIPMIClient",
            dependencies: [
                "AnvilIPMI", "AnvilPower",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/IPMIClient"
        ),
        // The discovery agent (docs/agent.md). SMBIOS tables → hardware information: pure.
        .target(name: "AnvilSMBIOS", dependencies: ["AnvilResources"], path: "Shared/SMBIOS"),
        // DHCPv4 messages and the client's state machine: pure (RFC 2131, RFC 2132).
        .target(name: "AnvilDHCP", path: "Shared/DHCP"),
        // cpio "newc" archives and kernel-module load order, for the agent's initramfs: pure.
        .target(name: "AnvilInitramfs", path: "Shared/Initramfs"),
        // The agent's steps (register, addresses, wipe, BMC), its API client and its Linux calls.
        .target(
            name: "AnvilAgent",
            dependencies: [
                "AnvilJSON", "AnvilResources", "AnvilSMBIOS", "AnvilDHCP", "AnvilIPMI", "AnvilIPMIClient", "AnvilPower",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Agent"
        ),
        .target(
            name: "AnvilStore",
            dependencies: [
                "AnvilJSON", "AnvilResources",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Shared/Store"
        ),
        .target(
            name: "AnvilBus",
            dependencies: [
                "AnvilJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/Bus"
        ),
        // The daemon skeleton: settings, bus and HTTP front, events, store-change hints (docs/architecture.md).
        .target(
            name: "AnvilDaemon",
            dependencies: [
                "AnvilJSON", "AnvilBus", "AnvilStore", "AnvilResources", "AnvilHTTPServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Daemon"
        ),
        // The controller runtime: work queue, backoff, and the runner fed by the change feed and hints.
        .target(
            name: "AnvilController",
            dependencies: ["AnvilDaemon", "AnvilStore", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Controller"
        ),
        // Daemons: each is a thin command over its `…Core` library (docs/architecture.md "The daemon shape").
        .target(
            name: "TFTPDCore",
            dependencies: [
                "AnvilDaemon", "AnvilTFTP", "AnvilBootFiles", "AnvilBus", "AnvilJSON", "AnvilStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/tftpd/Core"
        ),
        .executableTarget(name: "tftpd", dependencies: daemonCommand("TFTPDCore"), path: "Services/tftpd/Command"),
        .target(
            name: "BootdCore",
            dependencies: [
                "AnvilDaemon", "AnvilBoot", "AnvilBootFiles", "AnvilHTTPServer", "AnvilBus", "AnvilResources", "AnvilStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Services/bootd/Core"
        ),
        .executableTarget(name: "bootd", dependencies: daemonCommand("BootdCore"), path: "Services/bootd/Command"),
        .target(
            name: "MetadatadCore",
            dependencies: [
                "AnvilDaemon", "AnvilBoot", "AnvilConfigData", "AnvilHTTPServer", "AnvilBus", "AnvilJSON", "AnvilResources", "AnvilStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Services/metadatad/Core"
        ),
        .executableTarget(name: "metadatad", dependencies: daemonCommand("MetadatadCore"), path: "Services/metadatad/Command"),
        .target(
            name: "BMCDCore",
            dependencies: [
                "AnvilDaemon", "AnvilPower", "AnvilIPMI", "AnvilIPMIClient", "AnvilBus", "AnvilJSON", "AnvilResources", "AnvilStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/bmcd/Core"
        ),
        .executableTarget(name: "bmcd", dependencies: daemonCommand("BMCDCore"), path: "Services/bmcd/Command"),
        .target(
            name: "ReconcilerCore",
            dependencies: [
                "AnvilDaemon", "AnvilController", "AnvilBus", "AnvilStore", "AnvilResources",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/reconciler/Core"
        ),
        .executableTarget(name: "reconciler", dependencies: daemonCommand("ReconcilerCore"), path: "Services/reconciler/Command"),
        // Tools
        .executableTarget(
            name: "anvil",
            dependencies: [
                "AnvilJSON", "AnvilResources", "AnvilStore", "AnvilBus", "AnvilDaemon", "AnvilInitramfs", "AnvilSpawn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tools/anvil"
        ),
        // PID 1 of the agent's initramfs: the Swift runtime linked in, so the initramfs needs only libc.
        .executableTarget(
            name: "anvil-agent",
            dependencies: ["AnvilAgent", .product(name: "Logging", package: "swift-log")],
            path: "Tools/anvil-agent",
            linkerSettings: [.unsafeFlags([
                "-static-stdlib", "-use-ld=lld", "-Xlinker", "--start-group", "-Xlinker", "-lFoundation", "-Xlinker", "-lFoundationEssentials", "-Xlinker", "-lFoundationInternationalization", "-Xlinker", "-l_FoundationICU", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-lCoreFoundation", "-Xlinker", "-lswiftDispatch", "-Xlinker", "-ldispatch", "-Xlinker", "-lBlocksRuntime", "-Xlinker", "-lswiftSynchronization", "-Xlinker", "--end-group", "-Xlinker", "-lstdc++",
            ])]
        ),
        .executableTarget(
            name: "anvil-bench",
            dependencies: [
                "AnvilJSON", "AnvilResources", "AnvilStore", "AnvilBus", "AnvilBoot", "AnvilDaemon", "AnvilSpawn",
                // The allocation and class benchmarks run the controllers.
                "AnvilController", "ReconcilerCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/anvil-bench"
        ),
        // The fleet simulator (docs/simulator.md): simulated servers with IPMI BMCs and agents.
        .target(
            name: "SimulatorCore",
            dependencies: [
                "AnvilIPMI", "AnvilAgent", "AnvilResources", "AnvilJSON", "AnvilStore", "AnvilBoot", "AnvilBus", "AnvilDaemon",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/anvil-sim/Core"
        ),
        .executableTarget(
            name: "anvil-sim",
            dependencies: ["SimulatorCore", "AnvilDaemon", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tools/anvil-sim/Command"
        ),
        // Test support: a worker process for the multi-process store tests.
        .executableTarget(
            name: "anvil-store-worker",
            dependencies: ["AnvilStore", "AnvilResources", "AnvilJSON"],
            path: "Tests/Support/StoreWorker"
        ),
        // Tests
        .testTarget(name: "AnvilJSONTests", dependencies: ["AnvilJSON"], path: "Tests/AnvilJSONTests"),
        .testTarget(
            name: "AnvilResourcesTests",
            dependencies: ["AnvilResources", "AnvilJSON"],
            path: "Tests/AnvilResourcesTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AnvilStoreTests",
            dependencies: [
                "AnvilStore", "AnvilResources", "AnvilJSON", "AnvilSpawn", "anvil-store-worker",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/AnvilStoreTests"
        ),
        .testTarget(name: "AnvilTFTPTests", dependencies: ["AnvilTFTP"], path: "Tests/AnvilTFTPTests"),
        .testTarget(
            name: "AnvilJSONPatchTests",
            dependencies: ["AnvilJSONPatch", "AnvilJSON", "AnvilResources"],
            path: "Tests/AnvilJSONPatchTests",
            resources: [.copy("Conformance")]
        ),
        .testTarget(
            name: "AnvilConfigDataTests",
            dependencies: ["AnvilConfigData", "AnvilJSON", "AnvilJSONPatch", "AnvilResources"],
            path: "Tests/AnvilConfigDataTests"
        ),
        .testTarget(name: "AnvilBootTests", dependencies: ["AnvilBoot", "AnvilResources"], path: "Tests/AnvilBootTests"),
        .testTarget(
            name: "AnvilHTTPServerTests",
            dependencies: [
                "AnvilHTTPServer", "AnvilSpawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/AnvilHTTPServerTests"
        ),
        .testTarget(name: "AnvilIPMITests", dependencies: ["AnvilIPMI"], path: "Tests/AnvilIPMITests", resources: [.copy("Vectors")]),
        .testTarget(name: "AnvilPowerTests", dependencies: ["AnvilPower", "AnvilJSON", "AnvilSpawn"], path: "Tests/AnvilPowerTests", exclude: ["Peers"]),
        .testTarget(
            name: "AnvilIPMIClientTests",
            dependencies: ["AnvilIPMIClient", "AnvilIPMI", "AnvilPower"],
            path: "Tests/AnvilIPMIClientTests"
        ),
        .testTarget(name: "AnvilSMBIOSTests", dependencies: ["AnvilSMBIOS", "AnvilResources", "AnvilSpawn"], path: "Tests/AnvilSMBIOSTests", resources: [.copy("Dumps")]),
        .testTarget(name: "AnvilDHCPTests", dependencies: ["AnvilDHCP"], path: "Tests/AnvilDHCPTests"),
        .testTarget(name: "AnvilSpawnTests", dependencies: ["AnvilSpawn"], path: "Tests/AnvilSpawnTests"),
        .testTarget(name: "AnvilInitramfsTests", dependencies: ["AnvilInitramfs", "AnvilSpawn"], path: "Tests/AnvilInitramfsTests"),
        .testTarget(
            name: "AnvilAgentTests",
            dependencies: [
                "AnvilAgent", "AnvilResources", "AnvilJSON", "AnvilIPMI", "AnvilPower", "AnvilHTTPServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/AnvilAgentTests"
        ),
        .testTarget(
            name: "SimulatorCoreTests",
            dependencies: [
                "SimulatorCore", "AnvilIPMI", "AnvilAgent", "AnvilResources", "AnvilIPMIClient", "AnvilPower",
                "AnvilHTTPServer", "AnvilStore", "AnvilJSON", "AnvilBoot", "AnvilSpawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/SimulatorCoreTests"
        ),
        .testTarget(name: "AnvilBootFilesTests", dependencies: ["AnvilBootFiles"], path: "Tests/AnvilBootFilesTests"),
        .testTarget(name: "AnvilBusTests", dependencies: ["AnvilBus", "AnvilJSON"], path: "Tests/AnvilBusTests"),
        .testTarget(name: "AnvilControllerTests", dependencies: ["AnvilController", "AnvilDaemon", "AnvilStore", "AnvilResources"], path: "Tests/AnvilControllerTests"),
        // Daemon libraries, unit-tested without a process.
        .testTarget(name: "AnvilDaemonTests", dependencies: ["AnvilDaemon", "AnvilBus", "AnvilStore", "AnvilHTTPServer", "AnvilJSON"], path: "Tests/AnvilDaemonTests"),
        .testTarget(
            name: "TFTPDCoreTests",
            dependencies: [
                "TFTPDCore", "AnvilDaemon", "AnvilTFTP", "AnvilBootFiles", "AnvilResources", "AnvilStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tests/TFTPDCoreTests"),
        .testTarget(
            name: "BootdCoreTests",
            dependencies: [
                "BootdCore", "AnvilDaemon", "AnvilBoot", "AnvilResources", "AnvilStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tests/BootdCoreTests"),
        .testTarget(
            name: "MetadatadCoreTests", dependencies: ["MetadatadCore", "AnvilDaemon", "AnvilJSON", "AnvilResources", "AnvilStore"],
            path: "Tests/MetadatadCoreTests"),
        .testTarget(name: "BMCDCoreTests", dependencies: ["BMCDCore", "AnvilDaemon", "AnvilPower"], path: "Tests/BMCDCoreTests"),
        .testTarget(
            name: "ReconcilerCoreTests",
            dependencies: [
                "ReconcilerCore", "AnvilController", "AnvilDaemon", "AnvilResources", "AnvilStore", "AnvilJSON",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ReconcilerCoreTests"),
        .testTarget(
            name: "AnvilIntegrationTests",
            dependencies: [
                "AnvilDaemon", "AnvilBus", "AnvilJSON", "AnvilStore", "AnvilResources", "AnvilSpawn",
                "anvil", "tftpd", "bootd", "metadatad", "bmcd", "reconciler",
            ],
            path: "Tests/AnvilIntegrationTests"
        ),
    ]
)

/// A daemon's executable: the command over its core library.
func daemonCommand(_ core: Target.Dependency) -> [Target.Dependency] {
    [core, "AnvilDaemon", .product(name: "ArgumentParser", package: "swift-argument-parser")]
}
