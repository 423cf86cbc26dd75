/// AnvilIPMIClient: RMCP+ sessions to BMCs over SwiftNIO UDP.
public enum AnvilIPMIClientModule {}
