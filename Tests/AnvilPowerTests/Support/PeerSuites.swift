import Testing

/// Suites whose tests start a Redfish peer (sushy-emulator, 1 s of Python start-up each) run their
/// tests one at a time, so they do not starve the timing-sensitive suites of other targets on a
/// 2-core machine; at most one emulator runs at once.
@Suite(.serialized) enum RedfishPeerTests {}

/// The same for the management API peer.
@Suite(.serialized) enum ManagementAPIPeerTests {}
