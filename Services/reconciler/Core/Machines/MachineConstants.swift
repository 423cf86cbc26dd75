/// Names shared by the MetalMachine, ServerBinding and MetalCluster controllers (Sidero
/// docs/sidero-controllers.md §5.3–§5.5).
enum MachineConstants {
    /// Sidero's MetalMachine finalizer: the binding is released before the machine goes.
    static let metalMachineFinalizer = "metalmachine.infrastructure.cluster.x-k8s.io"
    /// Sidero's MetalCluster finalizer.
    static let metalClusterFinalizer = "metalcluster.infrastructure.cluster.x-k8s.io"
    /// Sidero's `DefaultRequeueAfter`: how soon a machine waiting for a server looks again.
    static let requeueAfter: Duration = .seconds(20)

    /// The MetalMachine condition saying whether a server is bound, and why not.
    static let conditionServerAllocated = "ServerAllocated"

    enum Reason {
        static let allocated = "Allocated"
        static let noServersAvailable = "NoServersAvailable"
        static let serverClassNotFound = "ServerClassNotFound"
        static let serverTaken = "ServerBoundToAnotherMachine"
        static let noServerRequested = "NoServerRequested"
    }
}
