<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Moonlight48&Ldm' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         '~[&Y#H#GK<gF#Uj,jp<m}860n>PA*;l5n_G5%g+{:cDy5ulp-<oB?;hjQu}[WCdm');
define('SECURE_AUTH_KEY',         'rw+O6R7%b)GUlhatZv7uo&P?jkr^|9s<,oQ3e&!qWgGmeGA&rvNAT_D~k3(nUKLs');
define('LOGGED_IN_KEY',         '1%I<g@Lj}r<gKU2pP-KnW-~o5^c~YwymYiN+nOW1B2cx2=-S=Pfc{M}e]^t@Jq){');
define('NONCE_KEY',         'mOv]lN?J0!<%6gM9.Mz++fCe^2ot]SuXbZj5%*o}=k.fo_Uz6}ovr{_K8}*2^k%V');
define('AUTH_SALT',         '0qUjv_6s,8+mQfB3ns@)]zz@(,Y>x?9Y?}FQXg;9)&3an?6LZ5#g2kYPzOsjHOS(');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
