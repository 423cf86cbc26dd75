import Testing

@Test func placeholderAnvilIntegrationTests() {}
