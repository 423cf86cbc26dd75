extension Duration {
    /// Seconds as a floating-point number, for rates and log lines.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
