-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'svc_app1@shop.test','$2a$10$ZJb.LqXf54blBm3cuMn41JXQAaMNCEwe2HqHprONWUowIA.ILpoOo',NULL);
INSERT INTO `users` VALUES (2,'bob2@shop.test','$1$qjTYGfuh$Sw63P8LzGcWkvnWn3vRfL3',NULL);
INSERT INTO `users` VALUES (3,'tanaka3@shop.test','$2b$12$KV7U4c1rSYwiI21WmkpzxDQ94jff9qXefY6XCFxNzg2LhnljIaCih',NULL);
INSERT INTO `users` VALUES (4,'jenkins4@shop.test','$1$1rQPUP8m$d9EYUvSoe73O6DSvkXSnZU',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','aa4cf214a9fcc14404bee0f0b307a6b8b193a7372aa2ee74d02a273410fb69f4');
