import AnvilAgent

@main
enum AgentMain {
    static func main() async {
        print("anvil-agent")
    }
}
