/// The discovery agent.
public enum AgentPlaceholder {}
