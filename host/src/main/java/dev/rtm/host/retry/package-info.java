/** Waiting out what cannot be reached: one back-off and outage log rhythm for the job's stages. */
package dev.rtm.host.retry;
