/// AnvilIPMI: IPMI v2.0 / RMCP+ messages, key derivation, integrity and confidentiality.
/// Pure: bytes in, bytes out; the client in AnvilIPMIClient does the I/O.
public enum AnvilIPMIModule {}
