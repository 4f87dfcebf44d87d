extension ConfigDocument {
    /// Equality of content only: positions, lengths, table origins and the
    /// order of keys within a table are ignored; floats compare bit for bit,
    /// so `-0.0` differs from `0.0` and a printed float must read back exactly.
    public func structurallyEquals(_ other: ConfigDocument) -> Bool {
        root.structurallyEquals(other.root)
    }
}

extension ConfigTable {
    /// Same keys with structurally equal values, in any order.
    public func structurallyEquals(_ other: ConfigTable) -> Bool {
        guard entries.count == other.entries.count else { return false }
        var theirs: [String: ConfigValue] = [:]
        for entry in other.entries { theirs[entry.key] = entry.value }
        guard theirs.count == entries.count else { return false }
        return entries.allSatisfy { entry in
            theirs[entry.key].map { entry.value.structurallyEquals($0) } ?? false
        }
    }
}

extension ConfigValue {
    /// Same kind and content, wherever each was written.
    public func structurallyEquals(_ other: ConfigValue) -> Bool {
        switch (kind, other.kind) {
        case let (.string(a), .string(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.float(a), .float(b)): a.bitPattern == b.bitPattern
        case let (.bool(a), .bool(b)): a == b
        case (.invalid, .invalid): true
        case let (.array(a), .array(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.structurallyEquals($1) }
        case let (.table(a), .table(b)): a.structurallyEquals(b)
        case let (.tableArray(a), .tableArray(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.structurallyEquals($1) }
        default: false
        }
    }
}
