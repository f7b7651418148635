import CGit2

extension Repository {
    /// A configuration value as Git resolves it (repository, then global and system files), nil when unset.
    /// - Parameter path: expand a leading `~/` as Git does for path-valued keys (`mailmap.file`).
    public func configValue(_ name: String, path: Bool = false) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, handle) == 0, let config else { return nil }
        defer { git_config_free(config) }
        if path {
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            guard git_config_get_path(&buffer, config, name) == 0, let pointer = buffer.ptr else { return nil }
            return String(cString: pointer)
        }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, name) == 0, let value else { return nil }
        return String(cString: value)
    }
}
