/// User IDs: 6 bits, 0 reserved (IPMI v2.0 spec §22.26).
enum UserID {
    static func validate(_ userID: UInt8, command: String) throws(IPMICommandError) {
        guard (1...63).contains(userID) else {
            throw .malformed("\(command): user ID \(userID) is outside 1…63")
        }
    }
}
