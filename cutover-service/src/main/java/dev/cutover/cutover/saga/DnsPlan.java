package dev.cutover.cutover.saga;

/**
 * The DNS name clients use and the two addresses it moves between. The flip is a compare-and-set
 * (only from the source address), so the saga has to know both ends.
 */
public record DnsPlan(String recordName, String sourceAddress, String targetAddress) {

    public DnsPlan {
        Text.name(recordName, "DNS record name", 253);
        Text.name(sourceAddress, "source address", 253);
        Text.name(targetAddress, "target address", 253);
        if (sourceAddress.equals(targetAddress)) {
            throw new IllegalArgumentException(
                    "source and target address must differ, both are " + sourceAddress + ": a flip would move nobody");
        }
    }
}
