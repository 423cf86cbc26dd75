import AnvilDHCP
import Testing

@Suite struct DHCPClientTests {
    @Test func happyPathBinds() throws {
        var client = Fixture.client()
        let start = client.handle(.start, at: .zero)
        let discover = try #require(start.sent.first)
        #expect(discover.type == .discover)
        #expect(discover.flags == DHCPMessage.broadcastFlag)
        #expect(discover.option(DHCPOptionCode.clientIdentifier) == [1] + Fixture.mac)
        #expect(discover.option(DHCPOptionCode.parameterRequestList) == [1, 3, 6, 12, 15, 26, 28, 121, 51, 54])
        #expect(start.waitUntil == .seconds(4))
        #expect(client.state == .selecting)

        let afterOffer = client.handle(.received(Fixture.reply(to: discover, .offer)), at: .seconds(1))
        let request = try #require(afterOffer.sent.first)
        #expect(request.type == .request)
        #expect(request.xid == discover.xid)
        #expect(request.ciaddr == .any)
        #expect(request.secs == 1)
        #expect(request.option(DHCPOptionCode.requestedIPAddress) == Fixture.offered.octets)
        #expect(try request.serverIdentifier == Fixture.serverA)
        #expect(afterOffer.waitUntil == .seconds(5))
        #expect(client.state == .requesting(offered: Fixture.offered, server: Fixture.serverA))

        let afterAck = client.handle(.received(Fixture.reply(to: request, .ack, options: Fixture.leaseOptions)), at: .seconds(2))
        let expected = DHCPLease(
            address: Fixture.offered, prefixLength: 24, serverIdentifier: Fixture.serverA, leaseTime: 3600,
            routers: [Fixture.serverA], dnsServers: [IPv4Address(10, 77, 0, 53), IPv4Address(10, 77, 0, 54)],
            domainName: "lab.example", hostName: "node-1", mtu: 1400)
        #expect(afterAck == [.bound(expected)])
        #expect(client.state == .bound(expected))
        // Done: nothing more happens.
        #expect(client.handle(.timerExpired, at: .seconds(60)).isEmpty)
    }

    @Test func nakStartsOverWithANewTransaction() throws {
        var client = Fixture.client()
        let discover = try #require(client.handle(.start, at: .zero).sent.first)
        let request = try #require(client.handle(.received(Fixture.reply(to: discover, .offer)), at: .seconds(1)).sent.first)
        let nak = Fixture.reply(to: request, .nak, yiaddr: .any, options: [DHCPOption(DHCPOptionCode.message, Array("wrong network".utf8))])
        let actions = client.handle(.received(nak), at: .seconds(2))
        #expect(actions.first == .restarted(reason: "10.77.0.1 refused 10.77.0.100 with DHCPNAK: wrong network"))
        let again = try #require(actions.sent.first)
        #expect(again.type == .discover)
        #expect(again.xid == discover.xid &+ 1)
        #expect(actions.waitUntil == .seconds(6))
        #expect(client.state == .selecting)
        // Replies to the old transaction no longer count.
        #expect(client.handle(.received(Fixture.reply(to: discover, .offer)), at: .seconds(3)) == [.ignored(.notForUs)])
    }

    @Test func firstOfTwoOffersWins() throws {
        var client = Fixture.client()
        let discover = try #require(client.handle(.start, at: .zero).sent.first)
        let request = try #require(client.handle(.received(Fixture.reply(to: discover, .offer, server: Fixture.serverB)), at: .seconds(1)).sent.first)
        #expect(try request.serverIdentifier == Fixture.serverB)
        let second = client.handle(.received(Fixture.reply(to: discover, .offer, yiaddr: IPv4Address(10, 77, 0, 120))), at: .seconds(1))
        #expect(second == [.ignored(.unexpected("DHCPOFFER from 10.77.0.1 while requesting 10.77.0.100 from 10.77.0.2"))])
        // An ACK from the server not chosen does not bind us either.
        #expect(client.handle(.received(Fixture.reply(to: request, .ack, server: Fixture.serverA)), at: .seconds(2)).count == 1)
        let bound = client.handle(.received(Fixture.reply(to: request, .ack, server: Fixture.serverB)), at: .seconds(2))
        guard case .bound(let lease)? = bound.first else {
            Issue.record("expected a lease, got \(bound)")
            return
        }
        #expect(lease.serverIdentifier == Fixture.serverB)
    }

    @Test func repliesForOtherClientsAreIgnored() throws {
        var client = Fixture.client()
        let discover = try #require(client.handle(.start, at: .zero).sent.first)
        var otherXID = Fixture.reply(to: discover, .offer)
        otherXID.xid &+= 7
        var otherMAC = Fixture.reply(to: discover, .offer)
        otherMAC.chaddr = [0x52, 0x54, 0, 0, 0, 1]
        var request = discover
        request.operation = .request
        for message in [otherXID, otherMAC, request] {
            #expect(client.handle(.received(message), at: .seconds(1)) == [.ignored(.notForUs)])
        }
        #expect(client.state == .selecting)
    }

    @Test func offersWithoutServerOrAddressAreIgnored() throws {
        var client = Fixture.client()
        let discover = try #require(client.handle(.start, at: .zero).sent.first)
        #expect(client.handle(.received(Fixture.reply(to: discover, .offer, server: nil)), at: .seconds(1))
            == [.ignored(.malformed("DHCPOFFER for 10.77.0.100 names no server (option 54)"))])
        #expect(client.handle(.received(Fixture.reply(to: discover, .offer, yiaddr: .any)), at: .seconds(1))
            == [.ignored(.malformed("DHCPOFFER offers 0.0.0.0"))])
        #expect(client.state == .selecting)
    }

    /// 4 s, 8 s, 16 s, then the cap, then the deadline.
    @Test func retransmissionsBackOffUntilTheDeadline() throws {
        var client = Fixture.client(deadline: .seconds(60), maximumRetransmission: .seconds(16))
        var actions = client.handle(.start, at: .zero)
        var waits: [Duration] = []
        var secs: [UInt16] = []
        while let until = actions.waitUntil {
            waits.append(until)
            secs += actions.sent.map(\.secs)
            actions = client.handle(.timerExpired, at: until)
        }
        #expect(waits == [.seconds(4), .seconds(12), .seconds(28), .seconds(44), .seconds(60)])
        #expect(secs == [0, 4, 12, 28, 44])
        #expect(actions == [.failed(.noOffer(discoversSent: 5, after: .seconds(60), lastProblem: nil))])
        #expect(client.handle(.start, at: .seconds(61)).isEmpty)
    }

    @Test func earlyTimerOnlyWaitsAgain() throws {
        var client = Fixture.client()
        _ = client.handle(.start, at: .zero)
        #expect(client.handle(.timerExpired, at: .seconds(3)) == [.wait(until: .seconds(4))])
    }

    @Test func unansweredRequestsStartOver() throws {
        var client = Fixture.client(deadline: .seconds(300), requestAttempts: 2)
        let discover = try #require(client.handle(.start, at: .zero).sent.first)
        var actions = client.handle(.received(Fixture.reply(to: discover, .offer)), at: .seconds(1))
        #expect(actions.waitUntil == .seconds(5))
        actions = client.handle(.timerExpired, at: .seconds(5))
        #expect(actions.sent.first?.type == .request)
        #expect(actions.waitUntil == .seconds(13))
        actions = client.handle(.timerExpired, at: .seconds(13))
        #expect(actions.first == .restarted(reason: "10.77.0.1 did not answer 2 DHCPREQUEST for 10.77.0.100"))
        #expect(actions.sent.first?.type == .discover)
        #expect(client.state == .selecting)
    }

    @Test func timeoutWhileRequestingNamesTheServerAndTheLastProblem() throws {
        var client = Fixture.client(deadline: .seconds(10))
        let discover = try #require(client.handle(.start, at: .zero).sent.first)
        let request = try #require(client.handle(.received(Fixture.reply(to: discover, .offer)), at: .seconds(1)).sent.first)
        let badAck = Fixture.reply(to: request, .ack, options: [DHCPOption(DHCPOptionCode.subnetMask, [255, 255])])
        #expect(client.handle(.received(badAck), at: .seconds(2)) == [.ignored(.malformed("DHCP option 1 has length 2, expected 4"))])
        #expect(client.handle(.timerExpired, at: .seconds(10)) == [.failed(.noAcknowledgement(
            server: Fixture.serverA, requestsSent: 1, after: .seconds(10), lastProblem: "malformed reply: DHCP option 1 has length 2, expected 4"))])
    }

    @Test func waitNeverPassesTheDeadline() throws {
        var client = Fixture.client(deadline: .seconds(3))
        #expect(client.handle(.start, at: .zero).waitUntil == .seconds(3))
    }
}
