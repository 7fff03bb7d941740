/** Who may use the console: the users file, logging in, and the answers to whoever may not (401, 403 recorded). */
package dev.cutover.console.login;
