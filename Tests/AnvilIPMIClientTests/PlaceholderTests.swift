import Testing
@testable import AnvilIPMIClient

@Test func ipmiClientModuleLinks() { _ = AnvilIPMIClientModule.self }
