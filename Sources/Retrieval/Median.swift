extension Array where Element == Double {
    /// The middle value, the upper of the two middle ones for an even count (so always a value that occurred);
    /// nil when empty. For timings, PDF line measures and eval reports alike.
    public var median: Double? { isEmpty ? nil : sorted()[count / 2] }
}
