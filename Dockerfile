# The rtm image: rtm's command line (job submitter, agent, render, ...) with the default plugins and
# the job jar for Flink's own tools (/opt/rtm/job/rtm-job.jar, main class dev.rtm.host.job.FlinkJob,
# which docker-compose.yml and deploy/kubernetes copy into Flink's usrlib), built from this checkout
# by the same Maven build as CI. docker-compose.yml builds it; by hand:
#
#   docker build -t rtm:0.1.0-SNAPSHOT .
#
# Both stages are pinned to an exact Temurin release (Java 17, the project's and the Flink image's).

FROM eclipse-temurin:17.0.16_8-jdk AS build
WORKDIR /src
COPY . .
# The Maven wrapper fetches the Maven the project pins; the repository cache survives rebuilds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl cli -am install

FROM eclipse-temurin:17.0.16_8-jre
# The distribution's jars and plugin zips (not the Apicurio copy `rtm demo` uses: the stack has its own).
COPY --from=build /src/cli/target/rtm/lib /opt/rtm/lib
COPY --from=build /src/cli/target/rtm/plugins /opt/rtm/plugins
COPY --from=build /src/cli/target/rtm/job/rtm-job.jar /opt/rtm/job/rtm-job.jar
RUN printf '#!/bin/sh\nexec java ${RTM_JAVA_OPTS:-} -Djava.awt.headless=true -cp "/opt/rtm/lib/*" dev.rtm.cli.Main "$@"\n' \
        > /usr/local/bin/rtm \
    && chmod 755 /usr/local/bin/rtm \
    && useradd --uid 10001 --create-home --home-dir /var/lib/rtm rtm
ENV RTM_HOME=/opt/rtm RTM_DATA_DIR=/var/lib/rtm
USER rtm
WORKDIR /var/lib/rtm
ENTRYPOINT ["rtm"]
CMD ["--help"]
