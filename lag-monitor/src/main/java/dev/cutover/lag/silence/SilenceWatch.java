package dev.cutover.lag.silence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.cutover.lag.silence.SagaNews.Ended;
import dev.cutover.lag.silence.SagaNews.Reported;
import dev.cutover.lag.silence.SagaNews.Spoke;
import dev.cutover.lag.silence.SagaNews.Started;
import dev.cutover.lag.silence.SagaNews.Word;

/**
 * The cutovers under way on one partition of {@code cutover.events} and when their saga last spoke, folded from the
 * log. Immutable: every message gives the next watch. A cutover is watched from its {@code CutoverStarted} until it
 * completes, rolls back, is rejected or planned; once the saga has been silent for {@code bound} it is due for one
 * report, and again only after the saga has spoken since. A report already in the log counts, whoever wrote it, so
 * a watchdog that reads the log again after a restart does not repeat it.
 *
 * @param bound     how long a saga may be silent: above every step's timeout, when the saga writes at the latest
 * @param cutovers  the cutovers under way, by id
 */
public record SilenceWatch(Duration bound, Map<String, Watched> cutovers) {

    /**
     * One cutover under way.
     *
     * @param lastWord the saga's last event about it
     * @param lastStep the step the saga started last
     * @param reported whether the silence after {@code lastWord} has been reported
     */
    public record Watched(String database, Word lastWord, Optional<String> lastStep, boolean reported) {
    }

    public SilenceWatch {
        Objects.requireNonNull(bound, "bound");
        if (!bound.isPositive()) {
            throw new IllegalArgumentException("the bound of a saga's silence must be positive, was " + bound);
        }
        cutovers = Map.copyOf(cutovers);
    }

    public static SilenceWatch start(Duration bound) {
        return new SilenceWatch(bound, Map.of());
    }

    /** The watch after one message. */
    public SilenceWatch with(SagaNews news) {
        Map<String, Watched> next = new TreeMap<>(cutovers);
        Watched watched = cutovers.get(news.cutoverId());
        switch (news) {
            case Started started -> next.put(started.cutoverId(),
                    new Watched(started.database(), started.word(), Optional.empty(), false));
            case Spoke spoke when watched != null -> next.put(spoke.cutoverId(), new Watched(watched.database(),
                    spoke.word(), spoke.word().step().or(watched::lastStep), false));
            // The saga's tidy-up and a fallback come after the cutover ended: they are not watched.
            case Spoke spoke -> { }
            case Ended ended -> next.remove(ended.cutoverId());
            case Reported reported when watched != null
                    && watched.lastWord().messageId().equals(reported.lastEventId()) -> next.put(reported.cutoverId(),
                    new Watched(watched.database(), watched.lastWord(), watched.lastStep(), true));
            // A report about an earlier silence: the saga has spoken since, so the silence under way is another one.
            case Reported reported -> { }
        }
        return new SilenceWatch(bound, next);
    }

    /**
     * The silences to report at {@code now}. A silence counts from the saga's last event, or from {@code watchingSince}
     * if that is later: the time the watchdog itself could not read the log (it was starting, the broker was away)
     * says nothing about the saga, which could not write either.
     */
    public List<Silence> due(Instant now, Instant watchingSince) {
        List<Silence> due = new ArrayList<>();
        cutovers.forEach((cutoverId, watched) -> {
            Instant from = watched.lastWord().at().isAfter(watchingSince) ? watched.lastWord().at() : watchingSince;
            if (!watched.reported() && Duration.between(from, now).compareTo(bound) >= 0) {
                due.add(new Silence(cutoverId, watched.database(), watched.lastWord(), watched.lastStep(),
                        Duration.between(watched.lastWord().at(), now), bound));
            }
        });
        return due;
    }
}
