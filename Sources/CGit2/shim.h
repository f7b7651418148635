#ifndef SOPSITE_CGIT2_SHIM_H
#define SOPSITE_CGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts is C-variadic, which Swift cannot call: one fixed-signature wrapper per option we set. */
static inline int sopsite_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int sopsite_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
static inline int sopsite_git_set_cache_object_limit(git_object_t type, size_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, size);
}
static inline int sopsite_git_set_cache_max_size(ssize_t size) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, size);
}
#endif
