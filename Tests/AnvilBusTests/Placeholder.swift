import Testing

@Test func placeholderAnvilBusTests() {}
