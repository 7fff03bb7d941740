package dev.cutover.cutover.migration;

import dev.cutover.cutover.saga.Text;
import java.time.Duration;

/**
 * The DNS name clients use and the TTL the cutover will flip it with. Lowering the TTL at the end of the migration means
 * that by the time of the cutover no client holds the source's address for longer than that.
 */
public record DnsTtl(String recordName, Duration ttl) {

    public DnsTtl {
        Text.name(recordName, "DNS record name", 253);
        Text.notNegative(ttl, "ttl");
    }
}
