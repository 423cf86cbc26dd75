import AnvilResources
import AnvilStore
import Foundation

/// Setting Cluster API conditions the way `conditions.Set` does: one per type, and the
/// transition time kept while the status stays the same, so an unchanged state writes nothing.
enum MachineConditions {
    static func set(_ condition: Condition, in conditions: inout [Condition]?, now: Date = Date()) {
        var condition = condition
        let previous = conditions?.first { $0.type == condition.type }
        if let previous, previous.status == condition.status {
            condition.lastTransitionTime = previous.lastTransitionTime ?? condition.lastTransitionTime
        }
        if condition.lastTransitionTime == nil {
            condition.lastTransitionTime = Timestamp.rfc3339(now)
        }
        var updated = conditions ?? []
        if let index = updated.firstIndex(where: { $0.type == condition.type }) {
            updated[index] = condition
        } else {
            updated.append(condition)
        }
        conditions = updated
    }

    /// `ServerAllocated=False` with a reason and message.
    static func notAllocated(reason: String, message: String) -> Condition {
        Condition(
            type: MachineConstants.conditionServerAllocated, status: "False", severity: "Warning", reason: reason,
            message: message)
    }

    /// `ServerAllocated=True` naming the server.
    static func allocated(server: String) -> Condition {
        Condition(
            type: MachineConstants.conditionServerAllocated, status: "True", reason: MachineConstants.Reason.allocated,
            message: "server \(server) is bound to this machine")
    }
}
