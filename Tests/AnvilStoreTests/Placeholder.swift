import Testing

@Test func placeholderAnvilStoreTests() {}
