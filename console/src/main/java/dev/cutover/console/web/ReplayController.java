package dev.cutover.console.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cutover.console.board.Replay;

/**
 * {@code GET /cutovers/{id}/replay}: a cutover message by message, from what the console has read of the topics, for
 * the page to play back. Read-only, so a viewer may ask too.
 */
@RestController
class ReplayController {

    private final Hub hub;

    ReplayController(Hub hub) {
        this.hub = hub;
    }

    @GetMapping(path = "/cutovers/{id}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    String replay(@PathVariable String id) {
        var log = hub.cutoverLog(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "the console has read no cutover " + id + ": pick one from the list of cutovers"));
        return Replay.json(id, log);
    }
}
