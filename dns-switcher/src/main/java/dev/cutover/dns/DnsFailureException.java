package dev.cutover.dns;

/** The one exception DNS providers throw; {@link #failure()} says which named outcome it was. */
public final class DnsFailureException extends RuntimeException {

    private final transient DnsFailure failure;

    public DnsFailureException(DnsFailure failure) {
        super(failure.reason());
        this.failure = failure;
    }

    public DnsFailureException(DnsFailure failure, Throwable cause) {
        super(failure.reason(), cause);
        this.failure = failure;
    }

    public DnsFailure failure() {
        return failure;
    }
}
