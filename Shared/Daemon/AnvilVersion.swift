/// The suite's version, reported by `anvil version` and every daemon's `service.info`.
public enum AnvilVersion {
    public static let current = "0.1.0-dev"
}
