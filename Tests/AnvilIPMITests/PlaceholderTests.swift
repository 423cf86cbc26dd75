import Testing
@testable import AnvilIPMI

@Test func ipmiModuleLinks() { _ = AnvilIPMIModule.self }
