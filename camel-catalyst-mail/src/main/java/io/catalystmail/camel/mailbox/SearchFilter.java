package io.catalystmail.camel.mailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Which messages a poll takes: a validated {@link SearchKey} tree. */
public final class SearchFilter {

    public static final SearchFilter ALL = new SearchFilter(new SearchKey.All());

    private final SearchKey key;

    public SearchFilter(SearchKey key) {
        this.key = Objects.requireNonNull(key);
    }

    public SearchKey key() {
        return key;
    }

    /** This filter and {@code other} both match. */
    public SearchFilter and(SearchFilter other) {
        if (key instanceof SearchKey.All) {
            return other;
        }
        if (other.key instanceof SearchKey.All) {
            return this;
        }
        List<SearchKey> keys = new ArrayList<>();
        for (SearchKey k : List.of(key, other.key)) {
            if (k instanceof SearchKey.And and) {
                keys.addAll(and.keys());
            } else {
                keys.add(k);
            }
        }
        return new SearchFilter(new SearchKey.And(keys));
    }

    @Override
    public String toString() {
        return "SearchFilter[" + key + "]";
    }
}
