import Testing
@testable import AnvilAgent

@Suite struct KernelCommandLineTests {
    @Test func anvilNamesWinOverSiderosAndLaterRepetitionsWin() {
        let line = KernelCommandLine("console=ttyS0 sidero.endpoint=10.0.0.1:8082 anvil.endpoint=10.0.0.2:8082 anvil.token=abc sidero.mac=52-54-00-AA-BB-CC panic=30 panic=5 quiet\n")
        #expect(line.endpoint == "10.0.0.2:8082")
        #expect(line.token == "abc")
        #expect(line.bootMAC == "52:54:00:aa:bb:cc")
        #expect(line.values["panic"] == "5")
        #expect(line.flags.contains("quiet"))
        #expect(!line.powerOffWhenDone)
    }

    @Test func siderosEndpointAloneAndEmptyValuesAreAbsent() {
        let line = KernelCommandLine("sidero.endpoint=[fd00::1]:8082 anvil.endpoint= anvil.token= anvil.poweroff=1")
        #expect(line.endpoint == "[fd00::1]:8082")
        #expect(line.token == nil)
        #expect(line.bootMAC == nil)
        #expect(line.powerOffWhenDone)
        #expect(KernelCommandLine("").endpoint == nil)
    }
}
