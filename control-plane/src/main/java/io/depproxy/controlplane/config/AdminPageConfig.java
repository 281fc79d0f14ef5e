package io.depproxy.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The admin page. Like {@link ControlPlaneConfig}, each key is found under its environment variable name. */
@ConfigMapping(prefix = "dp")
public interface AdminPageConfig {
    /** {@code DP_ADMIN_SESSION_TTL}: how long a sign-in lasts; the session ends earlier when its token does. */
    @WithDefault("8h")
    Duration adminSessionTtl();
}
