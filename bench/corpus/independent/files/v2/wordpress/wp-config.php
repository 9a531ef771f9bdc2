<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Moonlight3804?Yml' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'zks9i,x=_8v3&tRlv!W+L:aMTj6,qv}Q5^{=,z}QlmSze^S<v(zn%AO%b]d/2zzN');
define('SECURE_AUTH_KEY',         'vm;8R-zQyw%=s%mpqopEUO19_y2s:G0XHFaXGL}}k4a0yF-;|ZW*x#0L1f3/ZK6V');
define('LOGGED_IN_KEY',         'C=r#9.b*6[6bBtu#8^MfgPlSnq<qCy*Ikb#V[Z~E_C?7G!gBT|+-v#gb[el:C52<');
define('NONCE_KEY',         'p%KI#7pF;X/:|N(c>vB{7fFP:6/F]U?:#O0OS}!u[]M{X&<oF^cU6Tocm2[q+qH/');
define('AUTH_SALT',         '0?aH%tZPOelzC#~XQskA(|}OGAQqQUWY6ER{KA8eYOKe6<A:7[ZDCx<{wQ,0LiH&');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
