import Testing

@Suite struct AgentPlaceholderTests {
    @Test func builds() {}
}
