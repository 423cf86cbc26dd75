/// Names kept sorted ascending (Sidero lists class members sorted by name): insert and remove by
/// binary search, so one server moving costs O(log n) comparisons and one array shift.
struct SortedNames: Sendable, Hashable {
    private(set) var names: [String]

    init() { names = [] }

    /// Sorts `names` once (a class computed from scratch).
    init(unsorted names: [String]) { self.names = names.sorted() }

    var count: Int { names.count }

    mutating func insert(_ name: String) {
        let index = position(of: name)
        if index < names.count, names[index] == name { return }
        names.insert(name, at: index)
    }

    mutating func remove(_ name: String) {
        let index = position(of: name)
        if index < names.count, names[index] == name { names.remove(at: index) }
    }

    func contains(_ name: String) -> Bool {
        let index = position(of: name)
        return index < names.count && names[index] == name
    }

    /// The first index whose name is not below `name`.
    private func position(of name: String) -> Int {
        var (low, high) = (0, names.count)
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < name { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
